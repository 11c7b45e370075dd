package io.ortune.training.trainer;

import io.ortune.training.artifacts.OptimizerConfig;
import io.ortune.training.autodiff.TrainableSet;

import java.util.Locale;
import java.util.Objects;

/**
 * The trainer's settings. Defaults follow Hugging Face's {@code TrainingArguments} where they exist (AdamW with
 * betas 0.9/0.999 and epsilon 1e-8, linear schedule, clipping at norm 1, no weight decay, seed 42). Build one with
 * {@link #builder()}.
 *
 * @param batchSize     rows per micro-batch
 * @param gradAccum     micro-batches per optimizer step
 * @param lr            peak learning rate
 * @param schedule      learning-rate shape after warm-up
 * @param warmupSteps   warm-up steps; negative = from {@code warmupRatio}
 * @param warmupRatio   warm-up as a fraction of the total steps (when {@code warmupSteps} is negative)
 * @param weightDecay   AdamW decoupled weight decay (0 = off); biases and norm weights never decay
 * @param maxGradNorm   clip the global gradient norm to this (0 = off)
 * @param optimizer     {@code adamw} or {@code sgd}
 * @param maxSteps      optimizer steps to run; negative = from {@code epochs}
 * @param epochs        passes over the training rows (when {@code maxSteps} is negative)
 * @param evalEvery     evaluate every this many steps (0 = only at the end)
 * @param saveEvery     checkpoint every this many steps (0 = only at the end)
 * @param patience      stop after this many evaluations without a better eval loss (0 = never)
 * @param seed          seeds the data order (and ONNX Runtime's generator)
 * @param threads       ONNX Runtime intra-op threads (0 = its choice); fix it for bit-identical resumes
 * @param trainable     which parameters train
 * @param shuffle       reshuffle the training rows every epoch
 * @param ortKernels    use ONNX Runtime's fused gradient kernels
 * @param keepCheckpoints how many periodic checkpoints to keep (the newest; 0 = all)
 */
public record TrainerConfig(int batchSize, int gradAccum, double lr, LrSchedule.Kind schedule, long warmupSteps,
                            double warmupRatio, double weightDecay, double maxGradNorm, String optimizer,
                            long maxSteps, double epochs, int evalEvery, int saveEvery, int patience, long seed,
                            int threads, TrainableSet trainable, boolean shuffle, boolean ortKernels,
                            int keepCheckpoints) {

    /** The seed when none is given (Hugging Face's {@code Trainer} default). */
    public static final long DEFAULT_SEED = 42;

    public TrainerConfig {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(trainable, "trainable");
        optimizer = optimizer.toLowerCase(Locale.ROOT);
        check(batchSize >= 1, "batch size must be >= 1, got " + batchSize);
        check(gradAccum >= 1, "gradient accumulation must be >= 1, got " + gradAccum);
        check(lr >= 0 && !Double.isInfinite(lr), "learning rate must be finite and >= 0, got " + lr);
        check(warmupRatio >= 0 && warmupRatio <= 1, "warm-up ratio must be in [0, 1], got " + warmupRatio);
        check(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
        check(maxGradNorm >= 0, "max grad norm must be >= 0 (0 = off), got " + maxGradNorm);
        check(optimizer.equals("adamw") || optimizer.equals("sgd"), "optimizer must be adamw or sgd, got "
                + optimizer);
        check(maxSteps != 0, "max steps must be >= 1 (or negative to use epochs)");
        check(maxSteps > 0 || epochs > 0, "epochs must be > 0, got " + epochs);
        check(evalEvery >= 0 && saveEvery >= 0 && patience >= 0 && threads >= 0 && keepCheckpoints >= 0,
                "eval-every, save-every, patience, threads and keep-checkpoints must be >= 0");
        check(!optimizer.equals("sgd") || weightDecay == 0, "weight decay needs --optimizer adamw (ONNX Runtime's "
                + "SGD has none); set it to 0");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The optimizer model's configuration. */
    public OptimizerConfig optimizerConfig() {
        if (optimizer.equals("sgd")) {
            return new OptimizerConfig.Sgd((float) maxGradNorm);
        }
        return OptimizerConfig.AdamW.defaults().withWeightDecay((float) weightDecay)
                .withMaxGradNorm((float) maxGradNorm);
    }

    /** Optimizer steps for {@code batchesPerEpoch} micro-batches per epoch. */
    public long totalSteps(int batchesPerEpoch) {
        if (maxSteps > 0) {
            return maxSteps;
        }
        return Math.max(1, (long) Math.ceil(epochs * batchesPerEpoch / gradAccum));
    }

    /** The schedule over {@code totalSteps}. */
    public LrSchedule lrSchedule(long totalSteps) {
        long warmup = warmupSteps >= 0 ? warmupSteps : LrSchedule.warmupFromRatio(warmupRatio, totalSteps);
        return new LrSchedule(schedule, lr, warmup, totalSteps);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link TrainerConfig}; every setter returns the builder. */
    public static final class Builder {
        private int batchSize = 8;
        private int gradAccum = 1;
        private double lr = 5e-5;
        private LrSchedule.Kind schedule = LrSchedule.Kind.LINEAR;
        private long warmupSteps = -1;
        private double warmupRatio;
        private double weightDecay;
        private double maxGradNorm = 1.0;
        private String optimizer = "adamw";
        private long maxSteps = -1;
        private double epochs = 1;
        private int evalEvery;
        private int saveEvery;
        private int patience;
        private long seed = DEFAULT_SEED;
        private int threads;
        private TrainableSet trainable = TrainableSet.all();
        private boolean shuffle = true;
        private boolean ortKernels = true;
        private int keepCheckpoints = 2;

        private Builder() {
        }

        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder gradAccum(int v) { gradAccum = v; return this; }
        public Builder lr(double v) { lr = v; return this; }
        public Builder schedule(LrSchedule.Kind v) { schedule = v; return this; }
        public Builder warmupSteps(long v) { warmupSteps = v; return this; }
        public Builder warmupRatio(double v) { warmupRatio = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder maxGradNorm(double v) { maxGradNorm = v; return this; }
        public Builder optimizer(String v) { optimizer = v; return this; }
        public Builder maxSteps(long v) { maxSteps = v; return this; }
        public Builder epochs(double v) { epochs = v; return this; }
        public Builder evalEvery(int v) { evalEvery = v; return this; }
        public Builder saveEvery(int v) { saveEvery = v; return this; }
        public Builder patience(int v) { patience = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder trainable(TrainableSet v) { trainable = v; return this; }
        public Builder shuffle(boolean v) { shuffle = v; return this; }
        public Builder ortKernels(boolean v) { ortKernels = v; return this; }
        public Builder keepCheckpoints(int v) { keepCheckpoints = v; return this; }

        public TrainerConfig build() {
            return new TrainerConfig(batchSize, gradAccum, lr, schedule, warmupSteps, warmupRatio, weightDecay,
                    maxGradNorm, optimizer, maxSteps, epochs, evalEvery, saveEvery, patience, seed, threads, trainable,
                    shuffle, ortKernels, keepCheckpoints);
        }
    }
}
