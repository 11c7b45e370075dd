package io.ortune.models.arch;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The two graph forms of a model built from the same weights.
 *
 * <p>{@link #TRAINING}: the whole sequence at once (inputs {@code input_ids}, {@code attention_mask}); positions
 * are derived from the mask; the form the autodiff differentiates and BERT's only form. {@link #KV_CACHE}: one
 * decoding step with the past keys and values as inputs and the present ones as outputs, named as Hugging Face
 * Optimum and ONNX Runtime GenAI name them.
 */
public enum Form {
    TRAINING("training"),
    KV_CACHE("kv-cache");

    private final String metadataValue;

    Form(String metadataValue) {
        this.metadataValue = metadataValue;
    }

    /** The spelling stored in {@code metadata_props} under {@link ModelMetadata#FORM}. */
    public String metadataValue() {
        return metadataValue;
    }

    /** The form spelled {@code value} ({@code training} or {@code kv-cache}). */
    public static Form parse(String value) {
        for (Form f : values()) {
            if (f.metadataValue.equals(value)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown model form '" + value + "' (known: "
                + Arrays.stream(values()).map(Form::metadataValue).collect(Collectors.joining(", ")) + ")");
    }
}
