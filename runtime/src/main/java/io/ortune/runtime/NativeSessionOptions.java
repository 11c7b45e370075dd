package io.ortune.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.onnxruntime.OrtApi;
import org.bytedeco.onnxruntime.OrtCUDAProviderOptionsV2;
import org.bytedeco.onnxruntime.OrtSessionOptions;

/**
 * An {@code OrtSessionOptions} built from {@link SessionOptions}, released on {@link #close()}. Shared by inference
 * and training sessions.
 */
final class NativeSessionOptions implements AutoCloseable {

    private static final String CUDA_HINT = "CUDA needs an NVIDIA GPU with its driver, CUDA 13 and cuDNN 9 on the "
            + "library path; otherwise use ExecutionProvider.CPU";

    private final OrtRuntime rt;
    private OrtSessionOptions handle;

    private NativeSessionOptions(OrtRuntime rt, OrtSessionOptions handle) {
        this.rt = rt;
        this.handle = handle;
    }

    /** Builds the native options; {@code what} names the session for messages ("model.onnx"). */
    static NativeSessionOptions create(OrtRuntime rt, SessionOptions o, String what) {
        OrtApi api = rt.api();
        String ctx = "setting session options for " + what;
        OrtSessionOptions so = new OrtSessionOptions();
        Statuses.check(api, api.CreateSessionOptions(so), ctx);
        NativeSessionOptions n = new NativeSessionOptions(rt, so);
        try {
            n.apply(o, what, ctx);
            return n;
        } catch (RuntimeException e) {
            n.close();
            throw e;
        }
    }

    OrtSessionOptions handle() {
        if (handle == null) {
            throw new IllegalStateException("session options already released");
        }
        return handle;
    }

    private void apply(SessionOptions o, String what, String ctx) {
        OrtApi api = rt.api();
        Statuses.check(api, api.SetIntraOpNumThreads(handle, o.intraOpThreads()), ctx);
        Statuses.check(api, api.SetInterOpNumThreads(handle, o.interOpThreads()), ctx);
        Statuses.check(api, api.SetSessionGraphOptimizationLevel(handle, o.optimizationLevel().ortLevel()), ctx);
        Statuses.check(api, api.SetSessionExecutionMode(handle, o.executionMode().ortMode()), ctx);
        Statuses.check(api, o.memoryPattern() ? api.EnableMemPattern(handle) : api.DisableMemPattern(handle), ctx);
        Statuses.check(api, o.cpuArena() ? api.EnableCpuMemArena(handle) : api.DisableCpuMemArena(handle), ctx);
        if (o.profilingPrefix() != null) {
            try (BytePointer p = path(o.profilingPrefix())) {
                Statuses.check(api, api.EnableProfiling(handle, p), ctx);
            }
        }
        if (o.optimizedModelPath() != null) {
            try (BytePointer p = path(o.optimizedModelPath())) {
                Statuses.check(api, api.SetOptimizedModelFilePath(handle, p), ctx);
            }
        }
        for (Map.Entry<String, String> e : o.configEntries().entrySet()) {
            Statuses.check(api, api.AddSessionConfigEntry(handle, e.getKey(), e.getValue()),
                    () -> ctx + " (config entry " + e.getKey() + "=" + e.getValue() + ")");
        }
        for (Map.Entry<String, Long> e : o.freeDimensions().entrySet()) {
            Statuses.check(api, api.AddFreeDimensionOverrideByName(handle, e.getKey(), e.getValue()),
                    () -> ctx + " (free dimension " + e.getKey() + "=" + e.getValue() + ")");
        }
        if (o.executionProvider() == ExecutionProvider.CUDA) {
            appendCuda(o.cudaDeviceId(), what);
        }
    }

    private void appendCuda(int deviceId, String what) {
        if (!rt.hasProvider(ExecutionProvider.CUDA)) {
            throw new RuntimeUnavailableException(cudaRequested(what) + ", but the loaded ONNX Runtime "
                    + rt.version() + " has no CUDA execution provider (it has " + rt.availableProviders()
                    + "). Build with the GPU profile (mvn -Pgpu, classifier linux-x86_64-gpu) and run on a machine "
                    + "with an NVIDIA GPU, CUDA 13 and cuDNN 9 — or use ExecutionProvider.CPU");
        }
        OrtApi api = rt.api();
        OrtCUDAProviderOptionsV2 cuda = new OrtCUDAProviderOptionsV2();
        try {
            Statuses.check(api, api.CreateCUDAProviderOptions(cuda), "creating CUDA provider options");
            try (PointerPointer<BytePointer> keys = new PointerPointer<>("device_id");
                 PointerPointer<BytePointer> values = new PointerPointer<>(Integer.toString(deviceId))) {
                Statuses.check(api, api.UpdateCUDAProviderOptions(cuda, keys, values, 1),
                        "setting CUDA device_id=" + deviceId);
            }
            Statuses.check(api, api.SessionOptionsAppendExecutionProvider_CUDA_V2(handle, cuda),
                    "adding the CUDA execution provider (device " + deviceId + ")");
        } catch (OrtException e) {
            throw new RuntimeUnavailableException(cudaRequested(what) + " (device " + deviceId
                    + "), but its provider could not be set up: " + e.getMessage() + ". " + CUDA_HINT, e);
        } finally {
            if (!cuda.isNull()) {
                api.ReleaseCUDAProviderOptions().call(cuda);
            }
        }
    }

    private static String cudaRequested(String what) {
        return "the CUDA execution provider was requested for " + what;
    }

    /**
     * When a session was asked to use CUDA and creating it failed for a CUDA reason (no device, driver or library
     * missing), the failure becomes a {@link RuntimeUnavailableException}; other failures are returned unchanged.
     */
    static RuntimeException classifyCreateFailure(SessionOptions o, String what, OrtException e) {
        if (o.executionProvider() != ExecutionProvider.CUDA) {
            return e;
        }
        String m = e.ortMessage().toLowerCase(Locale.ROOT);
        if (e.errorCode() == OrtErrorCode.EP_FAIL || m.contains("cuda") || m.contains("cudnn")
                || m.contains("cublas")) {
            return new RuntimeUnavailableException(cudaRequested(what) + " (device " + o.cudaDeviceId()
                    + "), but ONNX Runtime could not use it: " + e.getMessage() + ". " + CUDA_HINT, e);
        }
        return e;
    }

    /** A native path string (ORTCHAR_T is char on Linux and macOS). */
    static BytePointer path(Path p) {
        return new BytePointer(p.toString(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (handle != null) {
            rt.api().ReleaseSessionOptions(handle);
            handle = null;
        }
    }
}
