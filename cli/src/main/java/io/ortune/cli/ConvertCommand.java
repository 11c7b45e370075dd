package io.ortune.cli;

import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.onnx.WriteOptions;
import io.ortune.graph.pass.PassRegistry;
import io.ortune.graph.pass.PassResult;
import io.ortune.graph.pass.Pipeline;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ortune convert IN.onnx OUT.onnx [--external-data] [--pass NAME ...]}: load, apply passes, write. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Load a model into the IR, apply passes, and write it (atomically).")
final class ConvertCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN.onnx", description = "The model to read.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT.onnx", description = "Where to write the result.")
    Path output;

    @Option(names = "--external-data",
            description = "Write tensors above --external-threshold bytes to OUT.onnx.data beside the model.")
    boolean externalData;

    @Option(names = "--external-threshold", paramLabel = "BYTES", defaultValue = "1024",
            description = "Size above which a tensor goes to the external data file (default: ${DEFAULT-VALUE}).")
    long externalThreshold;

    @Option(names = "--pass", paramLabel = "NAME",
            description = "A pass to apply, in order; repeatable. Known: ${COMPLETION-CANDIDATES}.",
            completionCandidates = PassNames.class)
    List<String> passes = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PassRegistry registry = PassRegistry.builtIn();
        for (String p : passes) {
            if (!registry.contains(p)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "unknown pass '" + p + "'; known passes: " + String.join(", ", registry.names()));
            }
        }
        Model model = OnnxReader.read(CliFiles.existingFile(input, "input model"));
        if (!passes.isEmpty()) {
            Pipeline pipeline = registry.pipeline(passes);
            PassResult result = pipeline.run(model);
            model = result.model();
            for (String change : result.changes()) {
                System.out.println("  " + change);
            }
        }
        if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
        }
        WriteOptions options = externalData
                ? WriteOptions.externalData().withThreshold(externalThreshold) : WriteOptions.inline();
        OnnxWriter.write(model, output, options);
        System.out.println("wrote " + output + (externalData ? " (+ " + options.dataFileNameFor(
                output.getFileName().toString()) + ")" : ""));
        return 0;
    }

    /** Pass names for --help. */
    static final class PassNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        PassNames() {
            super(PassRegistry.builtIn().names());
        }
    }
}
