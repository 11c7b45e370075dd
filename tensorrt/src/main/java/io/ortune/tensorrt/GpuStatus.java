package io.ortune.tensorrt;

/** What {@link GpuProbe} found: a CUDA device with TensorRT libraries ready, or the reason there is none. */
public sealed interface GpuStatus {

    /**
     * A usable device.
     *
     * @param gpuName           device 0's name ({@code NVIDIA L4})
     * @param computeCapability {@code major.minor} ({@code 8.9})
     * @param tensorRtVersion   the loaded TensorRT library's version ({@code 10.15.1.29})
     * @param cudaRuntime       the CUDA runtime version ({@code 13.1})
     */
    record Ready(String gpuName, String computeCapability, String tensorRtVersion, String cudaRuntime)
            implements GpuStatus { }

    /** No usable device; {@code reason} says which part was missing and how to supply it. */
    record Missing(String reason) implements GpuStatus { }
}
