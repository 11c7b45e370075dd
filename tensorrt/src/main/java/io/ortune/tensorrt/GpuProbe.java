package io.ortune.tensorrt;

import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;

/**
 * Looks for a CUDA device and the TensorRT libraries without crashing the JVM. The JavaCPP classes of CUDA and
 * TensorRT load their natives in their static initializers; they are touched only here, only when {@link #probe}
 * is first called, and a missing library ({@link LinkageError}: {@code UnsatisfiedLinkError}, then
 * {@code NoClassDefFoundError} on later touches) becomes a {@link GpuStatus.Missing} with the reason. The result
 * is computed once per JVM.
 *
 * <pre>{@code
 * if (GpuProbe.probe() instanceof GpuStatus.Missing m) System.err.println(m.reason());
 * }</pre>
 */
public final class GpuProbe {

    private static GpuStatus cached;

    private GpuProbe() {
    }

    /** The device status (computed on the first call, then cached). */
    public static synchronized GpuStatus probe() {
        if (cached == null) {
            cached = detect();
        }
        return cached;
    }

    private static GpuStatus detect() {
        Device device;
        try {
            device = Cuda.device0();
        } catch (LinkageError e) {
            return new GpuStatus.Missing("the CUDA runtime could not be loaded (" + reason(e) + "); engine building"
                    + " needs an NVIDIA GPU with its driver and the CUDA 13 runtime libraries (libcudart.so.13) on"
                    + " the library path");
        }
        if (device.problem() != null) {
            return new GpuStatus.Missing(device.problem());
        }
        String trt;
        try {
            trt = TensorRt.version();
        } catch (LinkageError e) {
            return new GpuStatus.Missing("found " + device.name() + " but the TensorRT libraries could not be loaded ("
                    + reason(e) + "); install TensorRT 10.x (libnvinfer.so.10, libnvonnxparser.so.10) on the"
                    + " library path");
        }
        return new GpuStatus.Ready(device.name(), device.computeCapability(), trt, device.cudaRuntime());
    }

    static String reason(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        String first = m.strip().lines().findFirst().orElse(m);
        return e.getClass().getSimpleName() + ": " + (first.length() > 300 ? first.substring(0, 300) + "..." : first);
    }

    /** Device 0, or {@code problem} saying why there is none. */
    private record Device(String name, String computeCapability, String cudaRuntime, String problem) {
        static Device none(String problem) {
            return new Device(null, null, null, problem);
        }
    }

    /** The only code that touches the CUDA runtime classes. */
    private static final class Cuda {
        static Device device0() {
            int[] count = {0};
            int rc = cudart.cudaGetDeviceCount(count);
            if (rc != 0 || count[0] == 0) {
                return Device.none("no CUDA device: cudaGetDeviceCount returned " + rc + " ("
                        + cudart.cudaGetErrorString(rc).getString() + ") with " + count[0] + " devices");
            }
            try (cudaDeviceProp prop = new cudaDeviceProp()) {
                int prc = cudart.cudaGetDeviceProperties(prop, 0);
                if (prc != 0) {
                    return Device.none("cudaGetDeviceProperties(0) failed: "
                            + cudart.cudaGetErrorString(prc).getString());
                }
                int[] rt = {0};
                cudart.cudaRuntimeGetVersion(rt);
                return new Device(prop.name().getString(), prop.major() + "." + prop.minor(),
                        rt[0] / 1000 + "." + (rt[0] % 1000) / 10, null);
            }
        }
    }

    /** The only code here that touches TensorRT's global functions (the builder and the ONNX parser library). */
    private static final class TensorRt {
        static String version() {
            nvonnxparser.getNvOnnxParserVersion();
            return nvinfer.getInferLibMajorVersion() + "." + nvinfer.getInferLibMinorVersion() + "."
                    + nvinfer.getInferLibPatchVersion() + "." + nvinfer.getInferLibBuildVersion();
        }
    }
}
