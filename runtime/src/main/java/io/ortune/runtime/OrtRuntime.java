package io.ortune.runtime;

import static org.bytedeco.onnxruntime.global.onnxruntime.ORT_API_VERSION;
import static org.bytedeco.onnxruntime.global.onnxruntime.OrtArenaAllocator;
import static org.bytedeco.onnxruntime.global.onnxruntime.OrtMemTypeDefault;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.onnxruntime.OrtAllocator;
import org.bytedeco.onnxruntime.OrtApi;
import org.bytedeco.onnxruntime.OrtApiBase;
import org.bytedeco.onnxruntime.OrtEnv;
import org.bytedeco.onnxruntime.OrtMemoryInfo;
import org.bytedeco.onnxruntime.OrtTrainingApi;
import org.bytedeco.onnxruntime.global.onnxruntime;

/**
 * The process-wide ONNX Runtime environment: the native libraries, the C API table, one {@code OrtEnv}, the default
 * CPU allocator and CPU memory description. Created lazily by the first {@link #get()}; lives until the JVM exits
 * (ONNX Runtime requires the environment to outlive every session, so it is never released early).
 *
 * <p>The log level is fixed when the environment is created: call {@link #configure(LogLevel)} before the first
 * session, or set the system property {@value #LOG_LEVEL_PROPERTY} (VERBOSE, INFO, WARNING, ERROR, FATAL). The
 * default is WARNING.
 */
public final class OrtRuntime {

    /** System property naming the ONNX Runtime log level used when {@link #configure} was not called. */
    public static final String LOG_LEVEL_PROPERTY = "ortune.ort.logLevel";

    private static final Object LOCK = new Object();
    private static LogLevel configuredLevel;
    private static volatile OrtRuntime instance;
    private static RuntimeUnavailableException failure;

    private final OrtApi api;
    private final OrtEnv env;
    private final OrtAllocator allocator;
    private final OrtMemoryInfo cpuMemoryInfo;
    private final String version;
    private final List<String> providers;
    private final LogLevel logLevel;
    private volatile OrtTrainingApi trainingApi;

    private OrtRuntime(OrtApi api, OrtEnv env, OrtAllocator allocator, OrtMemoryInfo cpuMemoryInfo, String version,
                       List<String> providers, LogLevel logLevel) {
        this.api = api;
        this.env = env;
        this.allocator = allocator;
        this.cpuMemoryInfo = cpuMemoryInfo;
        this.version = version;
        this.providers = List.copyOf(providers);
        this.logLevel = logLevel;
    }

    /**
     * Chooses the log level of the environment. Must be called before the first {@link #get()}, or with the level
     * already in use.
     */
    public static void configure(LogLevel level) {
        synchronized (LOCK) {
            if (instance != null && instance.logLevel != level) {
                throw new IllegalStateException("the ONNX Runtime environment already exists with log level "
                        + instance.logLevel + "; call OrtRuntime.configure(" + level + ") before the first session");
            }
            configuredLevel = level;
        }
    }

    /** The environment, created (and the native libraries loaded) on first use. */
    public static OrtRuntime get() {
        OrtRuntime rt = instance;
        if (rt != null) {
            return rt;
        }
        synchronized (LOCK) {
            if (instance == null) {
                if (failure != null) {
                    throw new RuntimeUnavailableException(failure.getMessage(), failure.getCause());
                }
                try {
                    instance = create(levelToUse());
                } catch (RuntimeUnavailableException e) {
                    failure = e;
                    throw e;
                }
            }
            return instance;
        }
    }

    /** True when the native libraries load and the environment can be created; never throws. */
    public static boolean isAvailable() {
        try {
            get();
            return true;
        } catch (RuntimeUnavailableException e) {
            return false;
        }
    }

    /** ONNX Runtime's version, e.g. {@code 1.24.1}. */
    public String version() {
        return version;
    }

    /** Execution providers built into the loaded library, e.g. {@code [DnnlExecutionProvider, CPUExecutionProvider]}.
     */
    public List<String> availableProviders() {
        return providers;
    }

    /** True when the loaded library was built with {@code provider} (says nothing about a device being present). */
    public boolean hasProvider(ExecutionProvider provider) {
        return providers.contains(provider.ortName());
    }

    public LogLevel logLevel() {
        return logLevel;
    }

    /** True when the loaded library has the training API (the bytedeco build does). */
    public boolean isTrainingAvailable() {
        try {
            trainingApi();
            return true;
        } catch (RuntimeUnavailableException e) {
            return false;
        }
    }

    // ---- package-private handles ------------------------------------------------------------------------------

    OrtApi api() {
        return api;
    }

    OrtEnv env() {
        return env;
    }

    /** ONNX Runtime's default CPU allocator; owned by ONNX Runtime, never released. */
    OrtAllocator allocator() {
        return allocator;
    }

    OrtMemoryInfo cpuMemoryInfo() {
        return cpuMemoryInfo;
    }

    OrtTrainingApi trainingApi() {
        OrtTrainingApi t = trainingApi;
        if (t == null) {
            synchronized (this) {
                t = trainingApi;
                if (t == null) {
                    t = api.GetTrainingApi().call(ORT_API_VERSION);
                    if (t == null || t.isNull()) {
                        throw new RuntimeUnavailableException("ONNX Runtime " + version + " was built without the "
                                + "training API; ortune needs org.bytedeco:onnxruntime, which includes it");
                    }
                    trainingApi = t;
                }
            }
        }
        return t;
    }

    /** Reads a string the default allocator allocated, then frees it. */
    String takeAllocatedString(BytePointer s) {
        try {
            return s.getString(StandardCharsets.UTF_8);
        } finally {
            api.AllocatorFree(allocator, s);
        }
    }

    // ---- creation ---------------------------------------------------------------------------------------------

    private static LogLevel levelToUse() {
        if (configuredLevel != null) {
            return configuredLevel;
        }
        String prop = System.getProperty(LOG_LEVEL_PROPERTY);
        if (prop == null || prop.isBlank()) {
            return LogLevel.WARNING;
        }
        try {
            return LogLevel.valueOf(prop.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("system property " + LOG_LEVEL_PROPERTY + "='" + prop
                    + "' is not one of VERBOSE, INFO, WARNING, ERROR, FATAL", e);
        }
    }

    private static OrtRuntime create(LogLevel level) {
        OrtApiBase base;
        try {
            base = onnxruntime.OrtGetApiBase();
        } catch (LinkageError e) {
            throw new RuntimeUnavailableException("could not load the ONNX Runtime native libraries: " + e
                    + ". ortune needs org.bytedeco:onnxruntime:1.24.1-1.5.13 with its platform classifier "
                    + "(linux-x86_64, or linux-x86_64-gpu) plus the dnnl and opencl platform jars on the class path, "
                    + "and a writable JavaCPP cache (~/.javacpp/cache)", e);
        }
        if (base == null || base.isNull()) {
            throw new RuntimeUnavailableException("the ONNX Runtime library loaded but OrtGetApiBase returned null");
        }
        String version = base.GetVersionString().call().getString();
        OrtApi api = base.GetApi().call(ORT_API_VERSION);
        if (api == null || api.isNull()) {
            throw new RuntimeUnavailableException("the loaded ONNX Runtime " + version
                    + " does not offer C API version " + ORT_API_VERSION + ", which the JavaCPP binding was built for");
        }
        try {
            OrtEnv env = new OrtEnv();
            Statuses.check(api, api.CreateEnv(level.ortLevel(), "ortune", env),
                    "creating the ONNX Runtime environment");
            OrtAllocator allocator = new OrtAllocator();
            Statuses.check(api, api.GetAllocatorWithDefaultOptions(allocator), "getting the default CPU allocator");
            OrtMemoryInfo cpu = new OrtMemoryInfo();
            Statuses.check(api, api.CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, cpu),
                    "describing CPU memory");
            return new OrtRuntime(api, env, allocator, cpu, version, readProviders(api), level);
        } catch (OrtException e) {
            throw new RuntimeUnavailableException("ONNX Runtime " + version + " loaded but could not be set up: "
                    + e.getMessage(), e);
        }
    }

    private static List<String> readProviders(OrtApi api) {
        PointerPointer<BytePointer> names = new PointerPointer<>();
        int[] count = new int[1];
        Statuses.check(api, api.GetAvailableProviders(names, count), "listing execution providers");
        try {
            List<String> out = new ArrayList<>(count[0]);
            for (int i = 0; i < count[0]; i++) {
                out.add(names.getString(i));
            }
            return out;
        } finally {
            Statuses.check(api, api.ReleaseAvailableProviders(names, count[0]), "releasing the provider list");
        }
    }
}
