package io.ortune.cli;

import io.ortune.export.hotswap.ActiveAdapters;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.onnx.TensorProtoFiles;
import io.ortune.graph.pass.LegacyOpsetUpgradePass;
import io.ortune.graph.pass.PassResult;
import io.ortune.graph.io.NpyFiles;
import io.ortune.runtime.ExecutionProvider;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.SessionOptions;
import io.ortune.runtime.ValueInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ortune run MODEL.onnx --input NAME=FILE ... --output-dir DIR}: runs a model once in ONNX Runtime.
 * Inputs are TensorProto {@code .pb} or NumPy {@code .npy} files; each output is written as
 * {@code DIR/<name>.pb} and {@code DIR/<name>.npy}. {@code --lora-adapter FILE.onnx_adapter} (repeatable) activates
 * ONNX Runtime LoRA adapters for the run, each checked against the model's overridable inputs first
 * ({@link ActiveAdapters}).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a model once in ONNX Runtime and write its outputs as .pb and .npy files.")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The model to run.")
    Path model;

    @Option(names = "--input", paramLabel = "NAME=FILE", required = true,
            description = "A graph input and the .pb (TensorProto) or .npy file holding it; repeat per input.")
    Map<String, Path> inputs = new LinkedHashMap<>();

    @Option(names = "--output-dir", paramLabel = "DIR", required = true,
            description = "Folder for the outputs (created if missing).")
    Path outputDir;

    @Option(names = "--provider", paramLabel = "cpu|cuda", defaultValue = "cpu",
            description = "Execution provider (default: ${DEFAULT-VALUE}). cuda needs the GPU build and a GPU.")
    String provider;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Intra-op threads (0 = ONNX Runtime's default).")
    int threads;

    @Option(names = "--lora-adapter", paramLabel = "FILE.onnx_adapter",
            description = "An ONNX Runtime LoRA adapter to activate for the run (a hot-swap graph from 'ortune "
                    + "adapters attach --hot-swap'); repeat to activate several.")
    List<Path> loraAdapters = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ExecutionProvider ep = parseProvider(provider);
        CliFiles.existingFile(model, "model");
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : inputs.entrySet()) {
            feeds.put(e.getKey(), readTensor(e.getKey(), e.getValue()));
        }
        SessionOptions.Builder options = SessionOptions.builder().executionProvider(ep);
        if (threads > 0) {
            options.intraOpThreads(threads);
        }
        Map<String, Tensor> outputs;
        try (InferenceSession session = open(options.build())) {
            checkInputs(session.inputs(), feeds);
            try (ActiveAdapters adapters = ActiveAdapters.load(session, loraAdapters)) {
                outputs = session.run(feeds, adapters.runOptions());
            }
        }
        Files.createDirectories(outputDir);
        for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
            String file = safeFileName(e.getKey());
            Tensor t = e.getValue();
            TensorProtoFiles.write(t.withName(e.getKey()), outputDir.resolve(file + ".pb"));
            NpyFiles.write(t, outputDir.resolve(file + ".npy"));
            System.out.printf(Locale.ROOT, "%s: %s%s -> %s.{pb,npy}%n", e.getKey(), t.dtype().onnxName(),
                    Arrays.toString(t.dims()), outputDir.resolve(file));
        }
        return 0;
    }

    /**
     * A session on the model; one whose default-domain opset is older than ONNX Runtime runs (&lt; 7) is upgraded in
     * memory by {@link LegacyOpsetUpgradePass}, with a one-line notice on stderr.
     */
    private InferenceSession open(SessionOptions options) throws java.io.IOException {
        Model m = OnnxReader.read(model);
        if (!LegacyOpsetUpgradePass.needsUpgrade(m)) {
            return InferenceSession.open(model, options);
        }
        PassResult up = new LegacyOpsetUpgradePass().run(m);
        System.err.println("ortune run: note: " + model + " uses opset " + m.opsetVersion("") + ", older than "
                + "ONNX Runtime runs; upgraded in memory to " + up.model().opsetVersion("") + " (save it with "
                + "'ortune convert --pass upgrade-opset')");
        return InferenceSession.fromBytes(OnnxWriter.toBytes(up.model()), options, model + " (upgraded to opset "
                + up.model().opsetVersion("") + ")");
    }

    private ExecutionProvider parseProvider(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "cpu":
                return ExecutionProvider.CPU;
            case "cuda":
                return ExecutionProvider.CUDA;
            default:
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--provider must be cpu or cuda, not '" + name + "'");
        }
    }

    static Tensor readTensor(String name, Path file) throws Exception {
        CliFiles.existingFile(file, "input '" + name + "'");
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".npy")) {
            return NpyFiles.read(file).withName(name);
        }
        if (lower.endsWith(".pb")) {
            return TensorProtoFiles.read(file).withName(name);
        }
        throw new IllegalArgumentException("input '" + name + "': " + file
                + " is neither a .pb (TensorProto) nor a .npy file");
    }

    /** Every given input exists and every input the model needs is given, before anything runs. */
    static void checkInputs(List<ValueInfo> expected, Map<String, Tensor> feeds) {
        List<String> names = expected.stream().map(ValueInfo::name).toList();
        for (String given : feeds.keySet()) {
            if (!names.contains(given)) {
                throw new IllegalArgumentException("the model has no input '" + given + "'; its inputs are "
                        + names);
            }
        }
        List<String> missing = new java.util.ArrayList<>();
        for (ValueInfo v : expected) {
            if (!feeds.containsKey(v.name())) {
                missing.add(v.name() + " (" + v.toString().substring(v.name().length() + 2) + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing input" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + ": the model needs " + names + "; give each as --input NAME=FILE");
        }
    }

    /** Output names may hold characters that are not safe in file names ("/", ":"): replace them. */
    static String safeFileName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
