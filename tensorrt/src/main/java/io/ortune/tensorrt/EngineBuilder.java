package io.ortune.tensorrt;

import io.ortune.graph.io.AtomicFiles;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IEngineInspector;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvinfer.IRuntime;
import org.bytedeco.tensorrt.nvinfer.ITimingCache;
import org.bytedeco.tensorrt.nvonnxparser.IParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The TensorRT builder calls, through the JavaCPP presets: {@code createInferBuilder}, a network (strongly typed
 * for int8), {@code nvonnxparser} {@code parseFromFile}, builder config flags, the workspace pool limit, one
 * optimization profile, the timing cache, {@code buildSerializedNetwork}, then the engine inspector for layer
 * precisions. It runs only after {@link GpuProbe} said {@link GpuStatus.Ready}; this class is never loaded
 * otherwise. Not yet run on a GPU: the device-free parts ({@link BuildPlan}, {@link InspectorJson}) are tested.
 * TensorRT objects are not released before the process ends (the presets give them no deleter): one build per
 * JVM is the expected use.
 */
final class EngineBuilder {

    /** What a build produced: the engine bytes' digest and size, the layers, and the wall time. */
    record Built(long engineBytes, String engineSha256, List<LayerPrecision> layers, double buildSeconds,
                 List<String> warnings) { }

    private final BuildPlan plan;
    private final TrtLogger logger;

    EngineBuilder(BuildPlan plan, boolean verbose) {
        this.plan = plan;
        this.logger = new TrtLogger(verbose);
    }

    /** Parses and builds; writes the engine (and the timing cache) atomically. */
    Built build(Preflight pre) throws IOException {
        long t0 = System.nanoTime();
        IBuilder builder = nvinfer.createInferBuilder(logger);
        require(builder != null && !builder.isNull(), "createInferBuilder failed");
        INetworkDefinition network = builder.createNetworkV2(
                plan.networkFlags(nvinfer.NetworkDefinitionCreationFlag.kSTRONGLY_TYPED.value));
        IParser parser = nvonnxparser.createParser(network, logger);
        String model = pre.settings().model().toAbsolutePath().toString();
        if (!parser.parseFromFile(model, ILogger.Severity.kWARNING.value)) {
            throw failure("TensorRT's ONNX parser rejected " + model, parserErrors(parser));
        }
        IBuilderConfig config = configure(builder);
        IHostMemory serialized = builder.buildSerializedNetwork(network, config);
        if (serialized == null || serialized.isNull() || serialized.size() == 0) {
            throw failure("TensorRT could not build an engine from " + model, List.of());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ByteBuffer bytes = new BytePointer(serialized.data()).capacity(serialized.size()).asByteBuffer();
        AtomicFiles.write(pre.settings().engine(), ch -> AtomicFiles.writeFully(ch, bytes.duplicate()));
        saveTimingCache(config);
        return new Built(serialized.size(), Sha256.of(bytes.duplicate()), layers(serialized), seconds,
                logger.messages());
    }

    private IBuilderConfig configure(IBuilder builder) throws IOException {
        IBuilderConfig config = builder.createBuilderConfig();
        for (String f : plan.setFlags()) {
            config.setFlag(nvinfer.BuilderFlag.valueOf(f));
        }
        for (String f : plan.clearFlags()) {
            config.clearFlag(nvinfer.BuilderFlag.valueOf(f));
        }
        if (plan.workspaceBytes() > 0) {
            config.setMemoryPoolLimit(nvinfer.MemoryPoolType.kWORKSPACE, plan.workspaceBytes());
        }
        config.setProfilingVerbosity(nvinfer.ProfilingVerbosity.kDETAILED);
        if (!plan.profiles().isEmpty()) {
            IOptimizationProfile profile = builder.createOptimizationProfile();
            for (ProfileSpec p : plan.profiles()) {
                boolean ok = profile.setDimensions(p.input(), nvinfer.OptProfileSelector.kMIN, dims(p.min()))
                        && profile.setDimensions(p.input(), nvinfer.OptProfileSelector.kOPT, dims(p.opt()))
                        && profile.setDimensions(p.input(), nvinfer.OptProfileSelector.kMAX, dims(p.max()));
                require(ok, "TensorRT refused --profile " + p);
            }
            require(config.addOptimizationProfile(profile) >= 0, "TensorRT refused the optimization profile");
        }
        if (plan.timingCache() != null) {
            byte[] cached = plan.loadTimingCache() ? Files.readAllBytes(plan.timingCache()) : new byte[0];
            ITimingCache cache = cached.length == 0 ? config.createTimingCache(null, 0)
                    : config.createTimingCache(new BytePointer(cached), cached.length);
            require(cache != null && !cache.isNull() && config.setTimingCache(cache, false),
                    "TensorRT could not use the timing cache " + plan.timingCache());
        }
        return config;
    }

    private void saveTimingCache(IBuilderConfig config) throws IOException {
        if (plan.timingCache() == null) {
            return;
        }
        IHostMemory mem = config.getTimingCache().serialize();
        ByteBuffer b = new BytePointer(mem.data()).capacity(mem.size()).asByteBuffer();
        AtomicFiles.write(plan.timingCache(), ch -> AtomicFiles.writeFully(ch, b));
    }

    private List<LayerPrecision> layers(IHostMemory serialized) {
        IRuntime runtime = nvinfer.createInferRuntime(logger);
        ICudaEngine engine = runtime.deserializeCudaEngine(serialized.data(), serialized.size());
        if (engine == null || engine.isNull()) {
            return List.of();
        }
        IEngineInspector inspector = engine.createEngineInspector();
        String info = inspector.getEngineInformation(nvinfer.LayerInformationFormat.kJSON);
        return info == null ? List.of() : InspectorJson.layers(info);
    }

    private static Dims64 dims(long[] d) {
        Dims64 out = new Dims64();
        out.nbDims(d.length);
        for (int i = 0; i < d.length; i++) {
            out.d(i, d[i]);
        }
        return out;
    }

    private static List<String> parserErrors(IParser parser) {
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < parser.getNbErrors(); i++) {
            errors.add(parser.getError(i).desc());
        }
        return errors;
    }

    private void require(boolean ok, String what) {
        if (!ok) {
            throw failure(what, List.of());
        }
    }

    private CompileException failure(String headline, List<String> details) {
        List<String> all = new ArrayList<>(details);
        all.addAll(logger.messages());
        return new CompileException(CompileException.Kind.BUILD, headline, all);
    }
}
