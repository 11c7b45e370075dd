package io.ortune.bench;

import io.ortune.bench.harness.LatencyStats;
import io.ortune.models.generate.GenerationConfig;
import io.ortune.models.generate.GenerationResult;
import io.ortune.models.generate.Generator;
import io.ortune.runtime.SessionOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times the generation loop ({@link Generator}) the way tools/torch_bench.py times PyTorch: prefill of a random
 * prompt at batch 1 (median of {@code runs} after {@code warmup}), then greedy generation of {@code newTokens}
 * tokens whose decode rate is (newTokens − 1) / time of the single-token steps (median of {@code decodeRuns}).
 */
final class OrtGenerationBench {

    private OrtGenerationBench() {
    }

    static OrtFigures measure(BenchModels.Built model, BenchSettings s, PrintStream log) throws IOException {
        SessionOptions options = SessionOptions.builder().intraOpThreads(s.threads()).interOpThreads(1).build();
        int[] prompt = randomPrompt(model.vocab(), s.promptLength());
        GenerationConfig prefillOnly = GenerationConfig.builder().maxNewTokens(1).stopOnEos(false).build();
        GenerationConfig decode = prefillOnly.toBuilder().maxNewTokens(s.newTokens()).build();
        try (Generator g = Generator.open(model.file(), options)) {
            log.printf("  prefill %d tokens: %d warm-up + %d timed runs%n", s.promptLength(), s.warmup(), s.runs());
            for (int i = 0; i < s.warmup(); i++) {
                g.generate(prompt, prefillOnly);
            }
            List<Double> prefill = new ArrayList<>();
            for (int i = 0; i < s.runs(); i++) {
                prefill.add(g.generate(prompt, prefillOnly).prefillMs());
            }
            log.printf("  decode %d tokens: 1 warm-up + %d timed runs%n", s.newTokens(), s.decodeRuns());
            g.generate(prompt, decode.toBuilder().maxNewTokens(Math.min(4, s.newTokens())).build());
            List<Double> rates = new ArrayList<>();
            List<Double> e2e = new ArrayList<>();
            GenerationResult last = null;
            for (int i = 0; i < s.decodeRuns(); i++) {
                last = g.generate(prompt, decode);
                rates.add(last.decodeTokensPerSecond());
                e2e.add(last.generatedIds().length / ((last.prefillMs() + last.decodeMs()) / 1000.0));
            }
            log.printf("  decode again with the KV cache copied through the Java heap every step%n");
            List<Double> heap = new ArrayList<>();
            for (int i = 0; i < s.decodeRuns(); i++) {
                heap.add(HeapKvLoop.decodeTokensPerSecond(g, prompt, s.newTokens()));
            }
            int[] head = Arrays.copyOf(last.generatedIds(), Math.min(16, last.generatedIds().length));
            return new OrtFigures(model.parameters(), median(prefill), min(prefill), median(rates), median(e2e),
                    median(heap), head);
        }
    }

    /** {@code length} ids drawn uniformly from [0, vocab) with seed 0. */
    static int[] randomPrompt(int vocab, int length) {
        SplittableRandom r = new SplittableRandom(0);
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = r.nextInt(vocab);
        }
        return ids;
    }

    static double median(List<Double> xs) {
        return LatencyStats.median(xs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double min(List<Double> xs) {
        return LatencyStats.of(xs.stream().mapToDouble(Double::doubleValue).toArray()).min();
    }
}
