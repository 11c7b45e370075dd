package io.ortune.cli;

import io.ortune.export.adapter.PeftAdapters;
import io.ortune.export.hotswap.HotSwapAdapters;
import io.ortune.export.hotswap.HotSwapChecks;
import io.ortune.export.hotswap.HotSwapGraph;
import io.ortune.export.hotswap.HotSwapLayout;
import io.ortune.export.hotswap.OnnxAdapter;
import io.ortune.export.hotswap.OnnxAdapterFile;
import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.PeftMetadata;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ortune adapters export MODEL_OR_DIR --format onnx_adapter|peft -o PATH}: an adapter of a model, or a PEFT
 * folder attached to its base, as an ONNX Runtime {@code .onnx_adapter} file (names equal to the hot-swap graph's
 * inputs; with {@code --graph}, checked against that graph and lower ranks padded) or as a PEFT folder. Over
 * {@link HotSwapAdapters} and {@link PeftAdapters}.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write an adapter as an ONNX Runtime .onnx_adapter file or a PEFT folder.",
            "MODEL_OR_DIR is a model carrying adapters (.onnx) or a PEFT adapter folder (needs --base or --graph).",
            "  ortune adapters export lora.onnx --format onnx_adapter -o a.onnx_adapter",
            "  ortune adapters export my-lora/ --format onnx_adapter --graph hot.onnx -o b.onnx_adapter"})
final class AdaptersExport implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL_OR_DIR", description = "A model with adapters, or a PEFT folder.")
    Path source;

    @Option(names = "--format", required = true, paramLabel = "onnx_adapter|peft", description = "What to write.")
    String format;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PATH",
            description = "The .onnx_adapter file or PEFT folder to write.")
    Path output;

    @Option(names = "--adapter-name", paramLabel = "NAME",
            description = "Which adapter of the model (default: the only one, else the active one); for a PEFT "
                    + "folder without --graph, the adapter name of the graph inputs (default: default).")
    String name;

    @Option(names = "--graph", paramLabel = "HOT.onnx",
            description = "The hot-swap graph the .onnx_adapter is for: names from it, ranks padded to it, checked.")
    Path graph;

    @Option(names = "--base", paramLabel = "BASE.onnx",
            description = "The base model a PEFT folder is attached to (default: the --graph model).")
    Path base;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String f = format.toLowerCase(Locale.ROOT);
        if (!f.equals("onnx_adapter") && !f.equals("peft")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--format must be onnx_adapter or peft, not '" + format + "'");
        }
        boolean folder = Files.isDirectory(source);
        if (!folder) {
            CliFiles.existingFile(source, "model");
        }
        Model hot = graph == null ? null : OnnxReader.read(CliFiles.existingFile(graph, "--graph"));
        if (f.equals("peft")) {
            if (graph != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--graph applies only to "
                        + "--format onnx_adapter");
            }
            return peft(folder);
        }
        OnnxAdapter adapter = folder ? fromFolder(hot) : fromModel(hot);
        if (hot != null) {
            HotSwapChecks.check(adapter, source.toString(), hot, graph.toString());
        }
        OnnxAdapterFile.write(adapter, output);
        System.out.printf(Locale.ROOT, "wrote %s: %d parameters, %d bytes%n", output, adapter.parameters().size(),
                adapter.byteSize());
        return 0;
    }

    private OnnxAdapter fromModel(Model hot) throws Exception {
        Model m = OnnxReader.read(source);
        String chosen = chosen(m);
        return hot == null ? HotSwapAdapters.of(m, chosen)
                : HotSwapAdapters.forLayout(m, chosen, HotSwapGraph.layout(hot));
    }

    private OnnxAdapter fromFolder(Model hot) throws Exception {
        Model b = baseModel(hot);
        if (hot != null) {
            HotSwapLayout layout = HotSwapGraph.layout(hot);
            return HotSwapAdapters.fromPeftFolder(b, source, layout);
        }
        return HotSwapAdapters.fromPeftFolder(b, source, name == null ? LoraConfig.DEFAULT_ADAPTER : name);
    }

    private int peft(boolean folder) throws Exception {
        if (folder) {
            String n = name == null ? LoraConfig.DEFAULT_ADAPTER : name;
            PeftAdapters.extractTo(PeftAdapters.attach(baseModel(null), source, n).model(), n, output);
        } else {
            Model m = OnnxReader.read(source);
            PeftAdapters.extractTo(m, chosen(m), output);
        }
        System.out.println("wrote PEFT adapter folder " + output);
        return 0;
    }

    private Model baseModel(Model hot) throws Exception {
        if (base != null) {
            return OnnxReader.read(CliFiles.existingFile(base, "--base"));
        }
        if (hot != null) {
            return hot;
        }
        throw new CommandLine.ParameterException(spec.commandLine(), source + " is a PEFT folder: name the base "
                + "model it attaches to with --base BASE.onnx (or the hot-swap graph with --graph)");
    }

    private String chosen(Model m) {
        List<AdapterInfo> adapters = PeftMetadata.adapters(m);
        List<String> names = adapters.stream().map(AdapterInfo::name).toList();
        if (adapters.isEmpty()) {
            throw new IllegalArgumentException(source + " carries no adapter (no ortune.peft.* metadata)");
        }
        if (name != null) {
            if (!names.contains(name)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--adapter-name: " + source
                        + " has no adapter '" + name + "' (it has " + names + ")");
            }
            return name;
        }
        if (adapters.size() == 1) {
            return names.get(0);
        }
        return PeftMetadata.active(m).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                source + " carries adapters " + names + "; choose one with --adapter-name"));
    }
}
