package io.ortune.training.artifacts;

/**
 * The optimizer an artifact set is built for. ONNX Runtime's training API runs exactly one optimizer node over all
 * trainable parameters, so these settings apply to every parameter alike (see {@link WeightDecayPolicy} for how
 * per-parameter weight decay is handled).
 */
public sealed interface OptimizerConfig permits OptimizerConfig.AdamW, OptimizerConfig.Sgd {

    /** Largest global L2 norm of the gradients before the update ({@code InplaceClipGradNorm}); 0 = no clipping. */
    float maxGradNorm();

    /** Short name for manifests: {@code adamw} or {@code sgd}. */
    String kind();

    /**
     * AdamW as Hugging Face Transformers computes it ({@code AdamWOptimizer} with {@code adam_mode=1}): moments and
     * bias correction, then the update, then decoupled weight decay {@code p -= lr * weightDecay * p}.
     *
     * @param beta1       first-moment decay (node attribute {@code alpha})
     * @param beta2       second-moment decay (node attribute {@code beta})
     * @param epsilon     added to the denominator
     * @param weightDecay decoupled weight decay for the parameters {@link WeightDecayPolicy} says decay
     * @param correctBias bias-correct the moments
     * @param maxGradNorm gradient clipping norm, 0 for none
     */
    record AdamW(float beta1, float beta2, float epsilon, float weightDecay, boolean correctBias, float maxGradNorm)
            implements OptimizerConfig {

        public AdamW {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("AdamW betas must be in [0, 1), got " + beta1 + ", " + beta2);
            }
            if (!(epsilon > 0)) {
                throw new IllegalArgumentException("AdamW epsilon must be > 0, got " + epsilon);
            }
            if (!(weightDecay >= 0)) {
                throw new IllegalArgumentException("AdamW weight decay must be >= 0, got " + weightDecay);
            }
            if (!(maxGradNorm >= 0)) {
                throw new IllegalArgumentException("maxGradNorm must be >= 0 (0 = no clipping), got " + maxGradNorm);
            }
        }

        /** Hugging Face {@code TrainingArguments} defaults: betas (0.9, 0.999), epsilon 1e-8, no decay, no clip. */
        public static AdamW defaults() {
            return new AdamW(0.9f, 0.999f, 1e-8f, 0f, true, 0f);
        }

        public AdamW withWeightDecay(float wd) {
            return new AdamW(beta1, beta2, epsilon, wd, correctBias, maxGradNorm);
        }

        public AdamW withBetas(float b1, float b2) {
            return new AdamW(b1, b2, epsilon, weightDecay, correctBias, maxGradNorm);
        }

        public AdamW withEpsilon(float eps) {
            return new AdamW(beta1, beta2, eps, weightDecay, correctBias, maxGradNorm);
        }

        public AdamW withMaxGradNorm(float norm) {
            return new AdamW(beta1, beta2, epsilon, weightDecay, correctBias, norm);
        }

        @Override
        public String kind() {
            return "adamw";
        }
    }

    /**
     * Plain SGD ({@code SGDOptimizerV2}): {@code p -= lr * grad}; no momentum, no weight decay.
     *
     * @param maxGradNorm gradient clipping norm, 0 for none
     */
    record Sgd(float maxGradNorm) implements OptimizerConfig {

        public Sgd {
            if (!(maxGradNorm >= 0)) {
                throw new IllegalArgumentException("maxGradNorm must be >= 0 (0 = no clipping), got " + maxGradNorm);
            }
        }

        public static Sgd plain() {
            return new Sgd(0f);
        }

        @Override
        public String kind() {
            return "sgd";
        }
    }
}
