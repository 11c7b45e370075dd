package io.ortune.cli;

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

    @Option(names = "--modes", paramLabel = "MODE", split = ",", defaultValue = "full,last2",
            description = "Settings: full, last2 (default: ${DEFAULT-VALUE}).")
    List<String> modes = new ArrayList<>();

    @Option(names = "--batch", paramLabel = "N", defaultValue = "4", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seq", paramLabel = "N", defaultValue = "256", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
    int seq;

    @Option(names = "--warmup-steps", paramLabel = "N", defaultValue = "2", description = "Untimed steps (default: ${DEFAULT-VALUE}).")
    int warmupSteps;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "5", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Threads on both sides (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of weights and token ids (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--matmul-size", paramLabel = "N", defaultValue = "2048",
            description = "n of the n×n×n MatMul giving the peak (default: ${DEFAULT-VALUE}).")
    int matmulSize;

    @Option(names = "--no-ort-grad-kernels", description = "Backward graph from standard ONNX ops only.")
    boolean noOrtKernels;

    @Option(names = "--no-memory-pattern", description = "Turn ONNX Runtime's memory-pattern planning off in the "
            + "training sessions (on by default, as in the trainer).")
    boolean noMemoryPattern;

    @Option(names = "--child-heap", paramLabel = "SIZE", defaultValue = "2g", description = "-Xmx of each measuring child JVM (default: ${DEFAULT-VALUE}).")
    String childHeap;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".",
            description = "Repository root, for tools/ (default: the working directory).")
    Path root;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where artifacts go (default: ROOT/target/bench-train).")
    Path workDir;

    @Option(names = "--python", paramLabel = "EXE", defaultValue = "/usr/bin/python3",
            description = "Python with torch for the peer column (default: ${DEFAULT-VALUE}).")
    Path python;

    @Option(names = "--no-torch", description = "Skip the PyTorch column.")
    boolean noTorch;

    @Option(names = "--doc", paramLabel = "FILE",
            description = "Also write the section into this Markdown file (replacing its previous version).")
    Path doc;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path base = root.toAbsolutePath().normalize();
        TrainBenchSettings d = TrainBenchSettings.defaults(base, base.resolve("target/bench-train"));
        TrainBenchSettings settings;
        try {
            List<TrainMode> parsed = new ArrayList<>();
            for (String m : modes) {
                parsed.add(TrainMode.parse(m.trim()));
            }
            settings = new TrainBenchSettings(parsed, batch, seq, warmupSteps, steps, threads, seed, d.lr(),
                    d.weightDecay(), !noOrtKernels, !noMemoryPattern, matmulSize, d.matmulRuns(), childHeap,
                    workDir != null ? workDir.toAbsolutePath() : d.workDir(), noTorch ? null : python,
                    d.torchScript());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        TrainBenchReport report = TrainBenchmark.run(settings, System.err);
        String section = report.markdown(command());
        System.out.print(section);
        if (doc != null) {
            TrainBenchReport.updateDocument(doc, section);
            System.err.println("wrote the '" + TrainBenchReport.HEADING.substring(3) + "' section of " + doc);
        }
        return 0;
    }

    /** The command line as given, for the report. */
    private String command() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        return "./ortune " + String.join(" ", args);
    }
}
