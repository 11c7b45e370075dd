package io.ortune.models.generate;

import java.util.Arrays;

/**
 * One row's generation. Timings are the batch's (every row of a batch shares them): {@code prefillMs} is the wall
 * time of the first step (the whole prompt into the cache, and choosing the first token), {@code decodeMs} that of
 * the {@code decodeSteps} single-token steps after it.
 *
 * @param promptIds    the prompt as given (no padding)
 * @param generatedIds the new tokens, a stop token included
 * @param stopReason   why the row stopped
 * @param batchSize    how many rows were generated together
 * @param prefillMs    wall time of the prefill step, milliseconds
 * @param decodeMs     wall time of the decode steps, milliseconds
 * @param decodeSteps  how many single-token steps ran after the prefill
 */
public record GenerationResult(int[] promptIds, int[] generatedIds, StopReason stopReason, int batchSize,
                               double prefillMs, double decodeMs, int decodeSteps) {

    public GenerationResult {
        promptIds = promptIds.clone();
        generatedIds = generatedIds.clone();
    }

    @Override
    public int[] promptIds() {
        return promptIds.clone();
    }

    @Override
    public int[] generatedIds() {
        return generatedIds.clone();
    }

    /** Prompt then generated ids. */
    public int[] allIds() {
        int[] all = Arrays.copyOf(promptIds, promptIds.length + generatedIds.length);
        System.arraycopy(generatedIds, 0, all, promptIds.length, generatedIds.length);
        return all;
    }

    /**
     * Decode steps per second: {@code decodeSteps / decodeMs} (each step yields one token per row; the first token
     * comes from the prefill and is not counted, as in tools/torch_bench.py); NaN when there were no decode steps.
     */
    public double decodeTokensPerSecond() {
        return decodeSteps == 0 ? Double.NaN : decodeSteps / (decodeMs / 1000.0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationResult r && Arrays.equals(promptIds, r.promptIds)
                && Arrays.equals(generatedIds, r.generatedIds) && stopReason == r.stopReason && batchSize == r.batchSize
                && Double.compare(prefillMs, r.prefillMs) == 0 && Double.compare(decodeMs, r.decodeMs) == 0
                && decodeSteps == r.decodeSteps;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(promptIds) + Arrays.hashCode(generatedIds);
    }

    @Override
    public String toString() {
        return "GenerationResult[prompt " + promptIds.length + " ids, generated " + Arrays.toString(generatedIds)
                + ", " + stopReason + ", prefill " + String.format(java.util.Locale.ROOT, "%.1f", prefillMs)
                + " ms, decode " + String.format(java.util.Locale.ROOT, "%.1f", decodeTokensPerSecond())
                + " tokens/s]";
    }
}
