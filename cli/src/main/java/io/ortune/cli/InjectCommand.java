package io.ortune.cli;

import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.onnx.WriteOptions;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.PeftInjector;
import io.ortune.graph.peft.PeftMethod;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ortune inject IN.onnx -o OUT.onnx --method lora|dora|adapter|prefix|prompt|ia3 [...]}: adds a PEFT adapter
 * to any model (ortune-built or an export), records its tensors as the trainable set, and prints what was injected
 * and skipped.
 */
@Command(name = "inject", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Inject a PEFT adapter into a model (a graph rewrite); the base is marked frozen.",
            "  ortune inject gpt2.onnx -o gpt2-lora.onnx --method lora --r 8 --alpha 16 --target c_attn",
            "  ortune inject model.onnx -o out.onnx --method lora --target all-linear --layers 0-5 --rslora",
            "  ortune inject bert.onnx -o out.onnx --method ia3"})
final class InjectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN.onnx", description = "The model to inject into.")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.onnx", description = "Where to write it.")
    Path output;

    @Option(names = "--method", required = true, paramLabel = "METHOD",
            description = "lora|dora|adapter|prefix|prompt|ia3.")
    String method;

    @CommandLine.Mixin
    PeftFlags flags = new PeftFlags();

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed of random initialisations.")
    long seed;

    @Option(names = "--external-data", description = "Write large tensors to OUT.onnx.data beside the model.")
    boolean externalData;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PeftMethod m;
        try {
            m = PeftMethod.parse(method);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--method: " + e.getMessage());
        }
        Model model = OnnxReader.read(CliFiles.existingFile(input, "input model"));
        Injection injected = PeftInjector.inject(model, flags.settings(m, seed));
        System.out.println(injected.report().summary());
        if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
        }
        OnnxWriter.write(injected.model(), output, externalData ? WriteOptions.externalData() : WriteOptions.inline());
        System.out.println("wrote " + output);
        return 0;
    }
}
