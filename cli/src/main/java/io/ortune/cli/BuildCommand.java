package io.ortune.cli;

import io.ortune.graph.inspect.ModelSummary;
import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.onnx.WriteOptions;
import io.ortune.models.arch.Architectures;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.arch.ModelForms;
import io.ortune.models.arch.ModelMetadata;
import io.ortune.models.config.ModelConfig;
import io.ortune.models.config.ModelConfigs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ortune build}: an ONNX model from a Hugging Face checkpoint ({@code --config} + {@code --weights}, or
 * {@code --random-init}), a llama2.c checkpoint ({@code --llama2c}), or another form of an ortune-built model
 * ({@code --from}); training form unless {@code --kv-cache}. Prints a one-paragraph summary.
 */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Build an ONNX model from a checkpoint (training form, or KV-cache form with --kv-cache).",
            "  ortune build --arch gpt2 --config config.json --weights model.safetensors -o model.onnx",
            "  ortune build --arch gpt2 --config config.json --random-init --seed 0 -o model.onnx",
            "  ortune build --llama2c stories260K.bin -o model.onnx --kv-cache",
            "  ortune build --from model.onnx --kv-cache -o kv.onnx"})
final class BuildCommand implements Callable<Integer> {

    @Option(names = "--arch", paramLabel = "gpt2|llama|bert",
            description = "The architecture; checked against the config (llama also covers mistral and qwen2).")
    String arch;

    @Option(names = "--config", paramLabel = "FILE|DIR", description = "Hugging Face config.json (or its folder).")
    Path config;

    @Option(names = "--weights", paramLabel = "FILE|DIR",
            description = "A .safetensors file, a sharded index, or a folder holding either.")
    Path weights;

    @Option(names = "--random-init", description = "Seeded random weights instead of --weights.")
    boolean randomInit;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed for --random-init (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--llama2c", paramLabel = "FILE", description = "A llama2.c checkpoint (.bin).")
    Path llama2c;

    @Option(names = "--from", paramLabel = "MODEL.onnx",
            description = "An ortune-built model to rebuild in the other form from its weights and metadata.")
    Path from;

    @Option(names = {"-o", "--output"}, paramLabel = "MODEL.onnx", required = true, description = "Where to write.")
    Path output;

    @Option(names = "--kv-cache", description = "Build the KV-cache (decoding) form instead of the training form.")
    boolean kvCache;

    @Option(names = "--external-data", description = "Store weights in MODEL.onnx.data beside the model.")
    boolean externalData;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        checkUsage();
        long start = System.nanoTime();
        Form form = kvCache ? Form.KV_CACHE : Form.TRAINING;
        Model model = build(form);
        String architecture = model.metadataProps().get(ModelMetadata.ARCHITECTURE);
        if (arch != null && !arch.equals(architecture)) {
            throw usage("--arch " + arch + " does not match the checkpoint, which is a '" + architecture + "' model");
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        WriteOptions options = externalData ? WriteOptions.externalData() : WriteOptions.inline();
        OnnxWriter.write(model, output, options);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println(summary(model, architecture, form, options, seconds));
        return 0;
    }

    private void checkUsage() {
        int sources = (config != null ? 1 : 0) + (llama2c != null ? 1 : 0) + (from != null ? 1 : 0);
        if (sources != 1) {
            throw usage("give exactly one source: --config (with --weights or --random-init), --llama2c or --from");
        }
        if (config != null && (weights == null) == !randomInit) {
            throw usage("--config needs either --weights FILE|DIR or --random-init (not both)");
        }
        if (config == null && (weights != null || randomInit)) {
            throw usage("--weights and --random-init go with --config");
        }
        if (arch != null && Architectures.ALL.stream().noneMatch(a -> a.name().equals(arch))) {
            throw usage("--arch must be gpt2, llama or bert, not '" + arch + "'");
        }
    }

    private Model build(Form form) throws IOException {
        if (llama2c != null) {
            return ModelFactory.fromLlama2c(CliFiles.existingFile(llama2c, "llama2.c checkpoint"), form);
        }
        if (from != null) {
            Model source = ModelFactory.fromOnnx(CliFiles.existingFile(from, "model"));
            return ModelForms.rebuild(source, form);
        }
        ModelConfig c = ModelConfigs.read(config);
        String family = Architectures.of(c).name();
        if (arch != null && !arch.equals(family)) {
            throw usage("--arch " + arch + " but " + config + " has model_type '" + c.modelType() + "' (a " + family
                    + " model)");
        }
        if (randomInit) {
            return ModelFactory.randomInit(c, seed, form);
        }
        if (!Files.exists(weights)) {
            throw new java.nio.file.NoSuchFileException(weights.toString(), null, "weights file or folder not found");
        }
        return ModelFactory.fromHuggingFace(config, weights, form);
    }

    private String summary(Model model, String architecture, Form form, WriteOptions options, double seconds)
            throws IOException {
        ModelSummary s = ModelSummary.of(model);
        long bytes = Files.size(output);
        Path data = output.resolveSibling(options.dataFileNameFor(output.getFileName().toString()));
        String dataPart = options.external() && Files.exists(data)
                ? " plus " + megabytes(Files.size(data)) + " of external data in " + data.getFileName() : "";
        return String.format(Locale.ROOT, "Built %s: a %s model with %,d parameters (%s), %s form (inputs %s;"
                        + " outputs %s), written to %s (%s%s) in %.1f s.",
                source(), architecture, s.parameterCount(), megabytes(s.parameterBytes()), form.metadataValue(),
                names(model.graph().inputs()), names(model.graph().outputs()), output, megabytes(bytes), dataPart,
                seconds);
    }

    private String source() {
        if (llama2c != null) {
            return "from llama2.c checkpoint " + llama2c;
        }
        if (from != null) {
            return "from " + from;
        }
        return "from " + config + (randomInit ? " with random weights (seed " + seed + ")" : " and " + weights);
    }

    /** Value names, with the per-layer cache names folded: {@code past_key_values.{0..4}.key|value}. */
    private static String names(java.util.List<io.ortune.graph.ir.Value> values) {
        java.util.List<String> plain = new java.util.ArrayList<>();
        java.util.Map<String, Integer> cache = new java.util.LinkedHashMap<>();
        for (io.ortune.graph.ir.Value v : values) {
            String n = v.name();
            String prefix = n.startsWith("past_key_values.") ? "past_key_values" : n.startsWith("present.") ? "present"
                    : null;
            if (prefix != null && (n.endsWith(".key") || n.endsWith(".value"))) {
                cache.merge(prefix, 1, Integer::sum);
            } else {
                plain.add(n);
            }
        }
        for (java.util.Map.Entry<String, Integer> e : cache.entrySet()) {
            plain.add(e.getKey() + ".{0.." + (e.getValue() / 2 - 1) + "}.key|value");
        }
        return String.join(", ", plain);
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
