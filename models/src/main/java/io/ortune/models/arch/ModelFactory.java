package io.ortune.models.arch;

import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.models.config.ModelConfig;
import io.ortune.models.config.ModelConfigs;
import io.ortune.models.weights.Llama2cCheckpoint;
import io.ortune.models.weights.ShardedSafetensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds ortune models: from a Hugging Face checkpoint, a llama2.c checkpoint, seeded random weights, or an
 * ONNX file ortune wrote. Every path checks the weights against the architecture first and fails with a
 * {@link WeightMismatchException} naming every missing, unexpected and mis-shaped tensor; an option the builders
 * cannot express fails with an {@link UnsupportedOperationException} naming it.
 *
 * <p>Weights become initializers under their checkpoint names. Float32 safetensors data stays in the file (memory
 * mapped when read); float16 and bfloat16 weights are upcast to float32 on the heap, which is logged and recorded
 * under {@link ModelMetadata#UPCAST}. The result carries {@link ModelMetadata}, so {@link ModelForms} can rebuild it
 * in the other {@link Form}.
 *
 * <pre>{@code
 * Model m = ModelFactory.fromHuggingFace(dir.resolve("config.json"), dir, Form.TRAINING);
 * Model decode = ModelForms.toKvCache(m);
 * }</pre>
 */
public final class ModelFactory {

    private static final System.Logger LOG = System.getLogger(ModelFactory.class.getName());

    private ModelFactory() {
    }

    /**
     * A model from a Hugging Face checkpoint.
     *
     * @param configJson       {@code config.json}, or the folder holding it
     * @param weightsFileOrDir a {@code .safetensors} file, a sharded index, or a folder holding either
     */
    public static Model fromHuggingFace(Path configJson, Path weightsFileOrDir, Form form) throws IOException {
        ModelConfig config = ModelConfigs.read(configJson);
        Architecture arch = Architectures.of(config);
        ShardedSafetensors weights = ShardedSafetensors.open(weightsFileOrDir);
        return build(arch, config, new CheckpointSource(weights, weightsFileOrDir.toString(),
                arch.canonicalNames(weights.names())), form);
    }

    /** A Llama model from a llama2.c checkpoint (legacy format; weights under Hugging Face names). */
    public static Model fromLlama2c(Path bin, Form form) throws IOException {
        Llama2cCheckpoint ck = Llama2cCheckpoint.open(bin);
        Architecture arch = Architectures.of(ck.config());
        return build(arch, ck.config(), new CheckpointSource(ck, bin.toString(), arch.canonicalNames(ck.names())),
                form);
    }

    /**
     * A model with seeded random weights as Hugging Face initializes them: matrices normal(0, 0.02) (GPT-2's output
     * projections scaled by 1/√(2·layers)), norm scales 1, biases 0.
     */
    public static Model randomInit(ModelConfig config, long seed, Form form) {
        Architecture arch = Architectures.of(config);
        return build(arch, config, new RandomSource(arch.weights(config, Set.of()), seed), form);
    }

    /** A model of {@code config} from any weight source. */
    public static Model build(ModelConfig config, WeightSource weights, Form form) {
        return build(Architectures.of(config), config, weights, form);
    }

    /**
     * An ortune-built model read from {@code file} as it is (adapters and other additions kept), after checking its
     * metadata and that every weight its architecture needs is there with the right shape and dtype.
     */
    public static Model fromOnnx(Path file) throws IOException {
        Model model = OnnxReader.read(file);
        ModelMetadata.Description d = ModelMetadata.read(model, file.toString());
        WeightSource source = new InitializerSource(model, file.toString());
        List<WeightSpec> specs = d.architecture().weights(d.config(), source.names());
        WeightCheck.Report report = WeightCheck.check(d.architecture(), specs, source, name -> true);
        if (!report.absentOptional().isEmpty()) {
            throw new WeightMismatchException(file.toString(), d.architecture().name(), report.absentOptional(),
                    List.of(), List.of());
        }
        return model;
    }

    static Model build(Architecture arch, ModelConfig config, WeightSource source, Form form) {
        if (!arch.forms().contains(form)) {
            throw new UnsupportedOperationException(arch.name() + " models have no " + form.metadataValue()
                    + " form (they have: " + arch.forms() + ")");
        }
        arch.requireSupported(config, form);
        List<WeightSpec> specs = arch.weights(config, source.names());
        WeightCheck.Report report = WeightCheck.check(arch, specs, source, name -> arch.ignorable(config, name));
        WeightSource effective = source;
        if (!report.absentOptional().isEmpty()) {
            List<WeightSpec> fresh = new ArrayList<>();
            for (WeightSpec s : specs) {
                if (report.absentOptional().contains(s.name())) {
                    fresh.add(s);
                }
            }
            effective = new FallbackSource(source, new RandomSource(fresh, 0));
        }
        Model model = arch.build(config, effective, form);
        ModelMetadata.write(model, arch, config, form);
        record(model, report, source);
        return model;
    }

    private static void record(Model model, WeightCheck.Report report, WeightSource source) {
        if (!report.upcast().isEmpty()) {
            String what = report.upcast().size() + " weights stored as float16/bfloat16 upcast to float32";
            model.metadataProps().put(ModelMetadata.UPCAST, what);
            LOG.log(System.Logger.Level.INFO, source.description() + ": " + what);
        }
        if (!report.absentOptional().isEmpty()) {
            String what = String.join(", ", report.absentOptional());
            model.metadataProps().put(ModelMetadata.INITIALIZED, what + " (not in the checkpoint; random, seed 0)");
            LOG.log(System.Logger.Level.WARNING, source.description() + " has no " + what
                    + ": initialized randomly (normal 0.02, biases 0); train them before use");
        }
        if (!report.ignored().isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, source.description() + ": ignored " + report.ignored());
        }
    }
}
