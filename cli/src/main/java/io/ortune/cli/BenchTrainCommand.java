package io.ortune.cli;

import io.ortune.bench.train.TrainBenchJson;
import io.ortune.bench.train.TrainBenchReport;
import io.ortune.bench.train.TrainBenchSettings;
import io.ortune.bench.train.TrainBenchmark;
import io.ortune.bench.train.TrainMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ortune bench-train}: training tokens/s, peak RSS and achieved FLOP/s (against the measured MatMul peak) of a
 * GPT-2-small-shaped model through ONNX Runtime's training API, full fine-tuning and last-two-blocks, next to PyTorch
 * eager (tools/torch_bench.py train); prints a Markdown section and, with {@code --doc}, writes it into
 * docs/benchmarks.md.
 */
@Command(name = "bench-train", mixinStandardHelpOptions = true,
        description = {"Benchmark training (tokens/s, peak RSS, FLOP/s vs MatMul peak) in ONNX Runtime against "
                + "PyTorch eager.",
            "Run from the repository root on an idle machine (about 5 minutes):",
            "  ortune bench-train --doc docs/benchmarks.md"})
final class BenchTrainCommand implements Callable<Integer> {

    @Option(names = "--modes", paramLabel = "MODE", split = ",", defaultValue = "full,last2,lora-qv,lora-all",
            description = "Settings: full, last2, lora-qv (LoRA r 16 on c_attn, PEFT's q,v on GPT-2), lora-all "
                    + "(LoRA r 16 on every block linear) (default: ${DEFAULT-VALUE}).")
    List<String> modes = new ArrayList<>();

    @Option(names = "--batch", paramLabel = "N", defaultValue = "4", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seq", paramLabel = "N", defaultValue = "256", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
    int seq;

    @Option(names = "--warmup-steps", paramLabel = "N", defaultValue = "2", description = "Untimed steps (default: ${DEFAULT-VALUE}).")
    int warmupSteps;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "5", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;


    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of weights and token ids (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--matmul-size", paramLabel = "N", defaultValue = "2048",
            description = "n of the n×n×n MatMul giving the peak (default: ${DEFAULT-VALUE}).")
    int matmulSize;

    @Option(names = "--no-ort-grad-kernels", description = "Backward graph from standard ONNX ops only.")
    boolean noOrtKernels;

    @Option(names = "--memory-pattern", description = "Turn ONNX Runtime's memory-pattern planning on in the "
            + "training sessions (off by default, as in the trainer: it raised peak RSS with no speed gain).")
    boolean memoryPattern;

    @Option(names = "--no-memory-pattern", description = "Memory pattern off (the default; kept for scripts).")
    boolean noMemoryPattern;

    @Option(names = "--child-heap", paramLabel = "SIZE", defaultValue = "2g", description = "-Xmx of each measuring child JVM (default: ${DEFAULT-VALUE}).")
    String childHeap;






    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON (per setting: "
            + "name, tokens_per_s, peer_tokens_per_s, ratio, peak_rss_bytes, peer_peak_rss_bytes, ...; the two MatMul "
            + "peaks).")
    Path json;

    @CommandLine.Mixin
    BenchOptions bench = new BenchOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path base = bench.base();
        TrainBenchSettings d = TrainBenchSettings.defaults(base, bench.workDir("bench-train"));
        TrainBenchSettings settings;
        if (memoryPattern && noMemoryPattern) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give --memory-pattern or --no-memory-pattern, not both");
        }
        try {
            List<TrainMode> parsed = new ArrayList<>();
            for (String m : modes) {
                parsed.add(TrainMode.parse(m.trim()));
            }
            settings = new TrainBenchSettings(parsed, batch, seq, warmupSteps, steps, bench.threads, seed, d.lr(),
                    d.weightDecay(), !noOrtKernels, memoryPattern, matmulSize, d.matmulRuns(), childHeap,
                    d.workDir(), bench.pythonOrNull(), d.torchScript());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        TrainBenchReport report = TrainBenchmark.run(settings, System.err);
        String section = report.markdown(BenchOptions.command(spec));
        System.out.print(section);
        if (bench.doc != null) {
            TrainBenchReport.updateDocument(bench.doc, section);
            System.err.println("wrote the '" + TrainBenchReport.HEADING.substring(3) + "' section of " + bench.doc);
        }
        if (json != null) {
            TrainBenchJson.write(report, json);
            System.err.println("wrote " + json);
        }
        return 0;
    }
}
