package io.ortune.pipeline.config;

/**
 * {@code train:} fine-tuning of the injected adapter (LoRA, or QLoRA with {@code quantize: nf4}).
 *
 * @param objective     {@code causal-lm} (decoders) or {@code reward} (Bradley–Terry on preference pairs)
 * @param data          data file: preference pairs for {@code reward}; text/JSONL/Alpaca for {@code causal-lm}
 * @param task          a generated token-id task instead of {@code data} (causal-lm only)
 * @param format        data format for causal-lm: text, jsonl, tokenized, alpaca (detected when null)
 * @param examples      use only the first N records / pairs of {@code data} (all when null)
 * @param evalFraction  fraction held out for evaluation (0.1)
 * @param maxLength     tokens per sequence (reward: per response, keeping the end; causal-lm: block size)
 * @param quantize      {@code nf4}: the frozen base in NF4 (QLoRA); null: plain LoRA
 * @param doubleQuant   NF4 double quantization of the block scales
 * @param maxSteps      optimizer steps (100)
 * @param batchSize     rows (pairs) per step (8)
 * @param lr            learning rate (1e-3)
 * @param schedule      constant, linear (default), cosine
 * @param warmupSteps   warm-up steps (0)
 * @param weightDecay   AdamW weight decay (0)
 * @param maxGradNorm   clipping (1)
 * @param saveEvery     checkpoint every N steps (25; an interrupted stage resumes from the newest)
 * @param evalEvery     evaluate every N steps (0 = before and after only)
 */
public record TrainSection(String objective, String data, TokenTask task, String format, Integer examples,
                           Double evalFraction, Integer maxLength, String quantize, Boolean doubleQuant,
                           Long maxSteps, Integer batchSize, Double lr, String schedule, Long warmupSteps,
                           Double weightDecay, Double maxGradNorm, Integer saveEvery, Integer evalEvery) {

    public static final String REWARD = "reward";
    public static final String CAUSAL_LM = "causal-lm";

    public String objectiveOr() { return objective == null ? CAUSAL_LM : objective; }
    public double evalFractionOr() { return evalFraction == null ? 0.1 : evalFraction; }
    public int maxLengthOr() { return maxLength == null ? 64 : maxLength; }
    public long maxStepsOr() { return maxSteps == null ? 100 : maxSteps; }
    public int batchSizeOr() { return batchSize == null ? 8 : batchSize; }
    public double lrOr() { return lr == null ? 1e-3 : lr; }
    public int saveEveryOr() { return saveEvery == null ? 25 : saveEvery; }
    public boolean qlora() { return "nf4".equals(quantize); }
}
