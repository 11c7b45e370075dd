package io.ortune.cli;

import io.ortune.export.adapter.AdapterSummary;
import io.ortune.export.adapter.PeftAdapters;
import io.ortune.export.hotswap.HotSwapDefaults;
import io.ortune.export.hotswap.HotSwapGraph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.onnx.WriteOptions;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.PeftMetadata;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code ortune adapters attach|list|extract|export}: PEFT adapter folders ({@code adapter_config.json} +
 * {@code adapter_model.safetensors}) onto and out of ONNX models, over {@link PeftAdapters}; hot-swap graphs and
 * ONNX Runtime {@code .onnx_adapter} files over {@code io.ortune.export.hotswap}.
 */
@Command(name = "adapters", mixinStandardHelpOptions = true,
        description = {"Attach, list and extract PEFT adapters (Hugging Face PEFT's folder format).",
            "  ortune adapters attach base.onnx --adapter my-lora/ -o base-lora.onnx",
            "  ortune adapters list base-lora.onnx",
            "  ortune adapters extract base-lora.onnx -o my-lora-again/",
            "  ortune adapters attach base.onnx --adapter my-lora/ --hot-swap -o hot.onnx",
            "  ortune adapters export other-lora/ --format onnx_adapter --graph hot.onnx -o other.onnx_adapter",
            "  ortune run hot.onnx --lora-adapter other.onnx_adapter --input ... --output-dir out/"},
        subcommands = {AdaptersCommand.Attach.class, AdaptersCommand.ListAdapters.class,
            AdaptersCommand.Extract.class, AdaptersExport.class})
final class AdaptersCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing a subcommand: attach, list, extract or export; see 'ortune adapters --help'.");
    }

    /** {@code ortune adapters attach BASE.onnx --adapter DIR [--hot-swap] -o OUT.onnx [--adapter-name NAME]}. */
    @Command(name = "attach", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Write BASE with the PEFT adapter in DIR injected, unmerged (its tensors as in the file).",
                "With --hot-swap, its LoRA A, B and scaling tensors become graph inputs with initializer defaults, so "
                    + "'ortune run --lora-adapter FILE.onnx_adapter' swaps adapters per run."})
    static final class Attach implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "BASE.onnx", description = "The base model.")
        Path base;

        @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "The PEFT adapter folder.")
        Path adapter;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.onnx", description = "Where to write.")
        Path output;

        @Option(names = "--adapter-name", paramLabel = "NAME", defaultValue = LoraConfig.DEFAULT_ADAPTER,
                description = "Name of the adapter in the model (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--external-data", description = "Write large tensors to OUT.onnx.data beside the model.")
        boolean externalData;

        @Option(names = "--hot-swap", description = "Make the hot-swap inference graph (LoRA only).")
        boolean hotSwap;

        @Option(names = "--defaults", paramLabel = "zeros|attached",
                description = "With --hot-swap: what runs without an adapter compute: zeros = the base model "
                        + "(default), attached = this adapter.")
        String defaults;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (defaults != null && !hotSwap) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--defaults applies only with --hot-swap");
            }
            HotSwapDefaults d = switch (defaults == null ? "zeros" : defaults) {
                case "zeros" -> HotSwapDefaults.ZEROS;
                case "attached" -> HotSwapDefaults.ATTACHED;
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "--defaults must be zeros or attached, not '" + defaults + "'");
            };
            Model m = OnnxReader.read(CliFiles.existingFile(base, "base model"));
            if (!Files.isDirectory(adapter)) {
                throw new java.nio.file.NoSuchFileException(adapter.toString(), null, "adapter folder not found");
            }
            Injection injected = PeftAdapters.attach(m, adapter, name);
            System.out.println(injected.report().summary());
            Model out = injected.model();
            if (hotSwap) {
                HotSwapGraph.Result hot = HotSwapGraph.make(out, name, d);
                System.out.println(hot.summary());
                out = hot.model();
            }
            if (output.toAbsolutePath().getParent() != null) {
                Files.createDirectories(output.toAbsolutePath().getParent());
            }
            OnnxWriter.write(out, output,
                    externalData ? WriteOptions.externalData() : WriteOptions.inline());
            System.out.println("wrote " + output);
            return 0;
        }
    }

    /** {@code ortune adapters list MODEL.onnx}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the adapters a model carries: name, method, r/alpha, modules, params, active.")
    static final class ListAdapters implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The model.")
        Path model;

        @Override
        public Integer call() throws Exception {
            Model m = OnnxReader.read(CliFiles.existingFile(model, "model"));
            List<AdapterSummary> all = PeftAdapters.list(m);
            if (all.isEmpty()) {
                System.out.println(model + ": no adapters");
                return 0;
            }
            for (AdapterSummary s : all) {
                System.out.println(s);
            }
            return 0;
        }
    }

    /** {@code ortune adapters extract MODEL.onnx -o DIR [--adapter-name NAME]}. */
    @Command(name = "extract", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Write one adapter of MODEL as a PEFT folder (loadable by PeftModel.from_pretrained).")
    static final class Extract implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "A model with adapters.")
        Path model;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "The folder to write.")
        Path output;

        @Option(names = "--adapter-name", paramLabel = "NAME",
                description = "Which adapter (default: the only one, else the active one).")
        String name;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Model m = OnnxReader.read(CliFiles.existingFile(model, "model"));
            List<AdapterInfo> adapters = PeftMetadata.adapters(m);
            if (adapters.isEmpty()) {
                throw new IllegalArgumentException(model + " carries no adapter (no ortune.peft.* metadata)");
            }
            String chosen = name != null ? name : adapters.size() == 1 ? adapters.get(0).name()
                    : PeftMetadata.active(m).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                            model + " carries adapters " + names(adapters) + "; choose one with --adapter-name"));
            if (PeftMetadata.adapter(m, chosen).isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--adapter-name: " + model
                        + " has no adapter '" + chosen + "' (it has " + names(adapters) + ")");
            }
            PeftAdapters.extractTo(m, chosen, output);
            System.out.println("wrote adapter '" + chosen + "' to " + output);
            return 0;
        }

        private static String names(List<AdapterInfo> adapters) {
            return adapters.stream().map(a -> "'" + a.name() + "'").collect(Collectors.joining(", "));
        }
    }
}
