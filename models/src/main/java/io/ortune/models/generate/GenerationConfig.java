package io.ortune.models.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How to generate: how many tokens, greedy or sampled, the logits processors, and when to stop.
 *
 * <p>Greedy decoding ({@code doSample} false) takes the argmax after the repetition penalty; temperature, top-k and
 * top-p only apply when sampling, in Hugging Face's order (repetition penalty, temperature, top-k, top-p). Sampling
 * draws from a {@link java.util.SplittableRandom} seeded with {@code seed}: one {@code nextDouble()} per unfinished
 * row per step, rows in order, so the same model, prompts, config and seed give the same tokens (given ONNX Runtime
 * returns bit-identical logits, as it does for the same build, threads and options on the same machine).
 *
 * <p>Generation of a row stops after {@code maxNewTokens} tokens or when it produces a stop id: the user's
 * {@code stopIds}, plus (when {@code stopOnEos}) the end-of-sequence ids of the model's config and of the tokenizer
 * given to the generator. The stop token is part of the generated ids, as in Hugging Face.
 *
 * @param maxNewTokens      how many tokens to generate at most, at least 1
 * @param doSample          sample (true) or take the argmax (false)
 * @param temperature       logits are divided by it when sampling; positive
 * @param topK              keep the k most likely tokens when sampling; 0 = off
 * @param topP              keep the smallest set of tokens with this much probability when sampling; 1 = off
 * @param repetitionPenalty Hugging Face's repetition penalty, greedy or sampling; 1 = off
 * @param seed              seeds the sampler
 * @param stopIds           extra ids that end a row
 * @param stopOnEos         also stop at the model's and tokenizer's end-of-sequence ids
 */
public record GenerationConfig(int maxNewTokens, boolean doSample, double temperature, int topK, double topP,
                               double repetitionPenalty, long seed, Set<Integer> stopIds, boolean stopOnEos) {

    public GenerationConfig {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be >= 1, got " + maxNewTokens);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a positive finite number, got " + temperature
                    + " (for greedy decoding turn sampling off instead)");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1] (1 = off), got " + topP);
        }
        if (!(repetitionPenalty > 0) || Double.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetition penalty must be a positive finite number (1 = off), got "
                    + repetitionPenalty);
        }
        stopIds = Set.copyOf(new TreeSet<>(stopIds));
        for (int id : stopIds) {
            if (id < 0) {
                throw new IllegalArgumentException("stop ids must be >= 0, got " + id);
            }
        }
    }

    /** Greedy decoding of up to {@code maxNewTokens} tokens, stopping at end-of-sequence ids. */
    public static GenerationConfig greedy(int maxNewTokens) {
        return builder().maxNewTokens(maxNewTokens).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder().maxNewTokens(maxNewTokens).doSample(doSample).temperature(temperature).topK(topK)
                .topP(topP).repetitionPenalty(repetitionPenalty).seed(seed).stopIds(stopIds).stopOnEos(stopOnEos);
    }

    /**
     * The processors this config applies before choosing a token, in Hugging Face's order: repetition penalty
     * (when not 1), then when sampling temperature (when not 1), top-k (when on), top-p (when below 1).
     */
    public List<LogitsProcessor> processors() {
        List<LogitsProcessor> list = new ArrayList<>();
        if (repetitionPenalty != 1.0) {
            list.add(new RepetitionPenalty(repetitionPenalty));
        }
        if (doSample) {
            if (temperature != 1.0) {
                list.add(new Temperature(temperature));
            }
            if (topK > 0) {
                list.add(new TopK(topK));
            }
            if (topP < 1.0) {
                list.add(new TopP(topP));
            }
        }
        return list;
    }

    /** Builds a {@link GenerationConfig}; defaults: 20 tokens, greedy, temperature 1, no top-k/top-p/penalty, seed 0. */
    public static final class Builder {
        private int maxNewTokens = 20;
        private boolean doSample;
        private double temperature = 1.0;
        private int topK;
        private double topP = 1.0;
        private double repetitionPenalty = 1.0;
        private long seed;
        private Set<Integer> stopIds = Set.of();
        private boolean stopOnEos = true;

        private Builder() {
        }

        public Builder maxNewTokens(int n) {
            this.maxNewTokens = n;
            return this;
        }

        public Builder doSample(boolean on) {
            this.doSample = on;
            return this;
        }

        public Builder temperature(double t) {
            this.temperature = t;
            return this;
        }

        public Builder topK(int k) {
            this.topK = k;
            return this;
        }

        public Builder topP(double p) {
            this.topP = p;
            return this;
        }

        public Builder repetitionPenalty(double r) {
            this.repetitionPenalty = r;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder stopIds(Set<Integer> ids) {
            this.stopIds = ids;
            return this;
        }

        public Builder stopOnEos(boolean on) {
            this.stopOnEos = on;
            return this;
        }

        public GenerationConfig build() {
            return new GenerationConfig(maxNewTokens, doSample, temperature, topK, topP, repetitionPenalty, seed,
                    stopIds, stopOnEos);
        }
    }
}
