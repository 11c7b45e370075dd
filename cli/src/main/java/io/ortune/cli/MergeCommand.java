package io.ortune.cli;

import io.ortune.export.adapter.PeftAdapters;
import io.ortune.export.merge.Combination;
import io.ortune.export.merge.CombineOptions;
import io.ortune.export.merge.MajoritySign;
import io.ortune.export.merge.MergeResult;
import io.ortune.export.merge.Merges;
import io.ortune.export.merge.OutputDifference;
import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.onnx.WriteOptions;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.training.qlora.Nf4Config;
import io.ortune.training.qlora.Nf4QuantizePass;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ortune merge}: adapters folded into the base weights ({@link Merges#mergeAndUnload}), or several combined
 * on their task vectors ({@link Merges#combine}) into a model or, with {@code --to-adapter}, a new PEFT adapter.
 * Everything is computed before anything is written.
 */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fold adapters into the weights, or combine several (linear, cat, svd, ties, dare_*, ...).",
            "  ortune merge base.onnx --adapter my-lora/ -o merged.onnx",
            "  ortune merge base.onnx --adapter a/ --adapter b/ --weights 0.7,0.3 --combination ties --density 0.5 "
                + "-o merged.onnx",
            "  ortune merge qlora.onnx --base base.onnx --compare-ids 1,2,3 -o merged.onnx"})
final class MergeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.onnx",
            description = "A base (with --adapter folders) or a model with attached/injected adapters.")
    Path model;

    @Option(names = "--adapter", paramLabel = "DIR", description = "A PEFT adapter folder to attach (repeatable).")
    List<Path> adapters = new ArrayList<>();

    @Option(names = "--weights", split = ",", paramLabel = "W", description = "One weight per adapter (default 1).")
    List<Double> weights;

    @Option(names = "--combination", paramLabel = "KIND", description = "linear|cat|svd|ties|dare_linear|dare_ties|"
            + "magnitude_prune|task_arithmetic (default: fold each adapter with its gate; several: linear).")
    String combination;

    @Option(names = "--density", paramLabel = "D", defaultValue = "1.0",
            description = "Fraction kept by ties, dare_* and magnitude_prune (default ${DEFAULT-VALUE}).")
    double density;

    @Option(names = "--majority-sign", paramLabel = "total|frequency", defaultValue = "total",
            description = "TIES sign election (default ${DEFAULT-VALUE}).")
    String majoritySign;

    @Option(names = "--svd-rank", paramLabel = "R", defaultValue = "0",
            description = "Rank of svd, and of --to-adapter (default: the largest source rank).")
    int svdRank;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "DARE's seed (default 0).")
    long seed;

    @Option(names = "--base", paramLabel = "FP_BASE",
            description = "QLoRA: fold into this full-precision base instead of the dequantized NF4 weights.")
    Path base;

    @Option(names = "--compare-ids", split = ",", paramLabel = "ID",
            description = "With --base: token ids on which to report the output difference of the two QLoRA merges.")
    long[] compareIds;

    @Option(names = "--requantize", paramLabel = "nf4", description = "Quantize the merged model again (nf4).")
    String requantize;

    @Option(names = "--to-adapter", paramLabel = "DIR", description = "Write the combination as a new PEFT adapter.")
    Path toAdapter;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.onnx", description = "Where to write the merged model.")
    Path output;

    @Option(names = "--external-data", description = "Write large tensors to OUT.onnx.data beside the model.")
    boolean externalData;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        checkFlags();
        Model m = OnnxReader.read(CliFiles.existingFile(model, "model"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < adapters.size(); i++) {
            String name = "adapter" + (i + 1);
            m = PeftAdapters.attach(m, adapters.get(i), name).model();
            names.add(name);
        }
        if (names.isEmpty()) {
            PeftMetadata.adapters(m).stream().map(AdapterInfo::name).forEach(names::add);
        }
        boolean combine = combination != null || weights != null || adapters.size() > 1 || toAdapter != null;
        CombineOptions options = combine ? options(names) : null;
        MergeResult merged = null;
        if (output != null) {
            merged = merge(m, options);
            if ("nf4".equals(requantize)) {
                merged = new MergeResult(new Nf4QuantizePass(Nf4Config.defaults()).quantize(merged.model()).model(),
                        merged.report());
            }
        }
        if (toAdapter != null) {
            MergeResult a = Merges.writeAdapter(m, options, toAdapter);
            System.out.println(a.report().summary());
            System.out.println("wrote adapter to " + toAdapter);
        }
        if (merged != null) {
            System.out.println(merged.report().summary());
            if (output.toAbsolutePath().getParent() != null) {
                Files.createDirectories(output.toAbsolutePath().getParent());
            }
            OnnxWriter.write(merged.model(), output, externalData ? WriteOptions.externalData() : WriteOptions.inline());
            System.out.println("wrote " + output);
        }
        return 0;
    }

    private MergeResult merge(Model m, CombineOptions options) throws Exception {
        if (base == null) {
            return options == null ? Merges.mergeAndUnload(m) : Merges.combine(m, options);
        }
        if (options != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--base folds a QLoRA model's adapters into "
                    + "the float base; it does not take --combination/--weights/--to-adapter or several --adapter");
        }
        Model fp = OnnxReader.read(CliFiles.existingFile(base, "--base"));
        MergeResult onFp = Merges.mergeAndUnload(m, fp);
        if (compareIds != null) {
            MergeResult onNf4 = Merges.mergeAndUnload(m);
            OutputDifference d = OutputDifference.of(onNf4.model(), onFp.model(),
                    OutputDifference.tokenFeeds(onFp.model(), compareIds));
            System.out.println("QLoRA merge into the float base vs into the dequantized NF4 weights: " + d.summary());
        }
        return onFp;
    }

    private CombineOptions options(List<String> names) {
        List<Double> w = weights != null ? weights : Collections.nCopies(names.size(), 1.0);
        Combination c = combination == null ? Combination.LINEAR : Combination.parse(combination);
        return new CombineOptions(c, names, w, density, MajoritySign.parse(majoritySign), svdRank, seed);
    }

    private void checkFlags() {
        if (output == null && toAdapter == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give -o OUT.onnx (the merged model) "
                    + "and/or --to-adapter DIR (the combination as an adapter)");
        }
        if (requantize != null && !"nf4".equals(requantize)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--requantize " + requantize
                    + " is not known; the only re-quantization is nf4");
        }
        if (compareIds != null && base == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--compare-ids compares the two QLoRA "
                    + "merges; it needs --base FP_BASE");
        }
        if (toAdapter != null && Files.exists(toAdapter) && !Files.isDirectory(toAdapter)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--to-adapter " + toAdapter
                    + " is a file; give a folder");
        }
    }
}
