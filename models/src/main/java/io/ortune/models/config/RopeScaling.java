package io.ortune.models.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A Llama-family {@code rope_scaling} setting. Parsing accepts every kind listed in {@link #TYPES}; whether a model
 * builder can implement one is its own decision, checked with {@link #requireSupported}.
 */
public sealed interface RopeScaling {

    /** The {@code rope_type} spellings this parser understands. */
    List<String> TYPES = List.of("linear", "dynamic", "llama3", "yarn");

    /** The {@code rope_type} spelling. */
    String type();

    /** The scaling factor. */
    double factor();

    /** Writes this setting into {@code out} (the {@code rope_scaling} object). */
    void writeTo(ObjectNode out);

    /** Position interpolation: positions divided by {@code factor}. */
    record Linear(double factor) implements RopeScaling {
        public Linear {
            requireFactor(factor);
        }

        @Override
        public String type() {
            return "linear";
        }

        @Override
        public void writeTo(ObjectNode out) {
            out.put("rope_type", type()).put("factor", factor);
        }
    }

    /** Dynamic NTK scaling: the base grows with the sequence length beyond the trained maximum. */
    record Dynamic(double factor) implements RopeScaling {
        public Dynamic {
            requireFactor(factor);
        }

        @Override
        public String type() {
            return "dynamic";
        }

        @Override
        public void writeTo(ObjectNode out) {
            out.put("rope_type", type()).put("factor", factor);
        }
    }

    /** Llama 3.1's frequency-dependent scaling. */
    record Llama3(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositionEmbeddings)
            implements RopeScaling {
        public Llama3 {
            requireFactor(factor);
            if (!(lowFreqFactor > 0 && highFreqFactor > lowFreqFactor)) {
                throw new IllegalArgumentException("llama3 rope_scaling needs 0 < low_freq_factor < high_freq_factor,"
                        + " got " + lowFreqFactor + " and " + highFreqFactor);
            }
            ConfigJson.requirePositive("original_max_position_embeddings", originalMaxPositionEmbeddings);
        }

        @Override
        public String type() {
            return "llama3";
        }

        @Override
        public void writeTo(ObjectNode out) {
            out.put("rope_type", type()).put("factor", factor).put("low_freq_factor", lowFreqFactor)
                    .put("high_freq_factor", highFreqFactor)
                    .put("original_max_position_embeddings", originalMaxPositionEmbeddings);
        }
    }

    /** YaRN. Parsed and reported; ortune's builders do not implement it yet. */
    record Yarn(double factor, OptionalInt originalMaxPositionEmbeddings, OptionalDouble attentionFactor,
                double betaFast, double betaSlow) implements RopeScaling {
        public Yarn {
            requireFactor(factor);
        }

        @Override
        public String type() {
            return "yarn";
        }

        @Override
        public void writeTo(ObjectNode out) {
            out.put("rope_type", type()).put("factor", factor);
            originalMaxPositionEmbeddings.ifPresent(v -> out.put("original_max_position_embeddings", v));
            attentionFactor.ifPresent(v -> out.put("attention_factor", v));
            out.put("beta_fast", betaFast).put("beta_slow", betaSlow);
        }
    }

    /**
     * Parses a {@code rope_scaling} object ({@code rope_type}, or the older {@code type} key); null when absent or
     * {@code "default"}.
     */
    static RopeScaling parse(ConfigJson json) {
        if (json == null) {
            return null;
        }
        String type = json.stringOr("rope_type", json.stringOr("type", null));
        if (type == null) {
            throw json.error("rope_scaling has no 'rope_type' (supported: " + String.join(", ", TYPES) + ")");
        }
        switch (type) {
            case "default":
                return null;
            case "linear":
                return new Linear(json.requireDouble("factor"));
            case "dynamic":
                return new Dynamic(json.requireDouble("factor"));
            case "llama3":
                return new Llama3(json.requireDouble("factor"), json.requireDouble("low_freq_factor"),
                        json.requireDouble("high_freq_factor"), json.requireInt("original_max_position_embeddings"));
            case "yarn":
                return new Yarn(json.requireDouble("factor"), json.optInt("original_max_position_embeddings"),
                        json.optDouble("attention_factor"), json.doubleOr("beta_fast", 32),
                        json.doubleOr("beta_slow", 1));
            default:
                throw json.error("rope_scaling type '" + type + "' is not supported (supported: default, "
                        + String.join(", ", TYPES) + ")");
        }
    }

    /**
     * Fails clearly when {@code scaling} (possibly null) is a kind {@code consumer} cannot implement.
     *
     * @param supportedTypes the {@link #type()} values the consumer implements
     */
    static void requireSupported(RopeScaling scaling, String consumer, List<String> supportedTypes) {
        if (scaling != null && !supportedTypes.contains(scaling.type())) {
            throw new UnsupportedOperationException("rope_scaling type '" + scaling.type() + "' is not implemented by "
                    + consumer + " (it implements: none" + (supportedTypes.isEmpty() ? "" : ", "
                    + String.join(", ", supportedTypes)) + ")");
        }
    }

    private static void requireFactor(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("rope_scaling factor must be a positive number, got " + factor);
        }
    }
}
