package io.ortune.cli;

import io.ortune.bench.harness.Backend;
import io.ortune.bench.harness.BenchPlan;
import io.ortune.bench.harness.BenchResults;
import io.ortune.bench.harness.BenchRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ortune bench MODEL...}: latency percentiles and throughput of ONNX models over a batch × sequence sweep on
 * the chosen backends (or, with {@code --generate}, TTFT/TPOT of generation), written as results.json, results.csv
 * and report.html. Thin: {@link BenchRunner} does the work.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time ONNX models: p50/p90/p99 latency, throughput, ratios against the first model.",
            "  ortune bench fp32.onnx int8.onnx --batch 1,8 --seq 128 --out bench-out",
            "  ortune bench model-kv.onnx --generate --new-tokens 32 --seq 64 --out gen-out"})
final class BenchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "MODEL", arity = "1..*", description = "ONNX models; ratios are against the first.")
    List<Path> models = new ArrayList<>();

    @Option(names = "--backend", paramLabel = "NAME", split = ",", defaultValue = "cpu",
            description = "cpu, cuda, tensorrt (comma-separated; unavailable ones are reported as skipped; "
                    + "default: ${DEFAULT-VALUE}).")
    List<String> backends = new ArrayList<>();

    @Option(names = "--batch", paramLabel = "N", split = ",", defaultValue = "1",
            description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches = new ArrayList<>();

    @Option(names = "--seq", paramLabel = "N", split = ",", defaultValue = "128",
            description = "Sequence lengths; the prompt length with --generate (default: ${DEFAULT-VALUE}).")
    List<Integer> seqs = new ArrayList<>();

    @CommandLine.Mixin
    HarnessOptions timing = new HarnessOptions();

    @Option(names = "--generate", description = "Time greedy generation with the KV cache (TTFT, TPOT, tokens/s).")
    boolean generate;

    @Option(names = "--new-tokens", paramLabel = "N", defaultValue = "32",
            description = "Tokens per generation run with --generate (default: ${DEFAULT-VALUE}).")
    int newTokens;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Where results.json, results.csv, report.html and report.md go.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BenchPlan plan;
        try {
            List<Backend> bs = backends.stream().map(Backend::parse).toList();
            plan = BenchPlan.builder(models).backends(bs).batches(batches).seqs(seqs).warmup(timing.warmup())
                    .measure(timing.measure()).threads(timing.threads)
                    .generation(generate ? new BenchPlan.Generation(newTokens) : null).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        for (Path m : models) {
            CliFiles.existingFile(m, "model");
        }
        BenchResults results = BenchRunner.run(plan, System.err);
        results.write(out);
        System.out.println("wrote " + out.resolve(BenchResults.JSON) + ", " + BenchResults.CSV + ", "
                + BenchResults.HTML + " and report.md (" + results.results().size() + " results, "
                + results.results().stream().filter(r -> !r.ok()).count() + " skipped)");
        return 0;
    }
}
