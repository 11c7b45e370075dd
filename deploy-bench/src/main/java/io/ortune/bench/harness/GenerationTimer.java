package io.ortune.bench.harness;

import io.ortune.models.generate.GenerationConfig;
import io.ortune.models.generate.GenerationResult;
import io.ortune.models.generate.Generator;
import io.ortune.runtime.SessionOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Times greedy generation with the KV cache ({@link Generator}, cache kept in ONNX Runtime's memory): per run the
 * latency is prefill + decode time, TTFT the prefill step, TPOT (latency − TTFT) / (tokens − 1) as MLPerf defines
 * it. End-of-sequence ids do not stop a run, so every run generates exactly the tokens asked for.
 */
final class GenerationTimer {

    private GenerationTimer() {
    }

    static List<BenchResult> measure(BenchPlan plan, Backend backend, Path model, BenchRunner.Case c,
                                     PrintStream log) {
        SessionOptions options;
        if (backend instanceof OrtCpuBackend cpu) {
            options = cpu.options(plan.threads());
        } else if (backend instanceof OrtCudaBackend cuda) {
            options = cuda.options(plan.threads());
        } else {
            throw new IllegalStateException("generation runs on ONNX Runtime backends only, not " + backend.name());
        }
        int n = plan.generation().newTokens();
        GenerationConfig config = GenerationConfig.greedy(n).toBuilder().stopOnEos(false).build();
        List<BenchResult> out = new ArrayList<>();
        try (Generator g = open(model, options)) {
            for (int b : plan.batches()) {
                for (int s : plan.seqs()) {
                    if (g.spec().maxPositions() > 0 && s + n > g.spec().maxPositions()) {
                        String why = "prompt " + s + " + " + n + " new tokens exceed the model's "
                                + g.spec().maxPositions() + " positions";
                        log.printf("  %s batch %d seq %d: skipped: %s%n", backend.name(), b, s, why);
                        out.add(c.skipped(backend, b, s, plan.threads(), why));
                        continue;
                    }
                    out.add(one(plan, backend, g, config, b, s, c, log));
                }
            }
        }
        return out;
    }

    private static Generator open(Path model, SessionOptions options) {
        try {
            return Generator.open(model, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + model + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--generate needs a causal LM that ortune can run with a KV cache: "
                    + e.getMessage(), e);
        }
    }

    private static BenchResult one(BenchPlan plan, Backend backend, Generator g, GenerationConfig config, int b,
                                   int s, BenchRunner.Case c, PrintStream log) {
        List<int[]> prompts = prompts(b, s, g.spec().vocab() > 0 ? g.spec().vocab() : 2, plan.seed());
        int n = config.maxNewTokens();
        List<double[]> runs = new ArrayList<>();
        Timings t = Timings.time(plan.warmup(), plan.measure(), () -> {
            GenerationResult r = g.generate(prompts, config, io.ortune.models.generate.TokenListener.NONE).get(0);
            runs.add(new double[] {r.prefillMs(), r.decodeMs()});
        });
        List<double[]> timed = runs.subList(t.warmupRuns(), runs.size());
        double[] lat = new double[timed.size()];
        double[] ttft = new double[timed.size()];
        double[] tpot = new double[timed.size()];
        for (int i = 0; i < lat.length; i++) {
            ttft[i] = timed.get(i)[0];
            lat[i] = timed.get(i)[0] + timed.get(i)[1];
            tpot[i] = (lat[i] - ttft[i]) / (n - 1);
        }
        LatencyStats l = LatencyStats.of(lat);
        LatencyStats first = LatencyStats.of(ttft);
        LatencyStats per = LatencyStats.of(tpot);
        GenerationFigures gen = new GenerationFigures(n, first, per, (double) b * s * 1000.0 / first.p50(),
                b * 1000.0 / per.p50());
        log.printf(Locale.ROOT, "  %s batch %d prompt %d +%d tokens: TTFT p50 %.2f ms, TPOT p50 %.3f ms, decode %.1f"
                + " tokens/s (%d runs)%n", backend.name(), b, s, n, first.p50(), per.p50(), gen.decodeTokensPerS(),
                l.n());
        return new BenchResult(c.label(), c.path(), backend.name(), c.precision(), b, s, BenchResult.Status.OK, null,
                plan.threads(), t.warmupRuns(), t.warmupMs(), l, b * 1000.0 / l.mean(), 0, gen, c.load(), c.busy());
    }

    /** {@code batch} prompts of {@code seq} ids uniform in [0, vocab), from {@code seed}. */
    static List<int[]> prompts(int batch, int seq, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            int[] ids = new int[seq];
            for (int j = 0; j < seq; j++) {
                ids[j] = r.nextInt(vocab);
            }
            out.add(ids);
        }
        return out;
    }
}
