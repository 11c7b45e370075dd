package io.ortune.models.arch;

/**
 * Graph input and output names and symbolic dimension names of ortune-built models, following Hugging Face Optimum
 * and ONNX Runtime GenAI.
 *
 * <p>Decoders, {@link Form#TRAINING}: {@code input_ids} int64 [batch_size, sequence_length], {@code attention_mask}
 * int64 [batch_size, sequence_length] → {@code logits} float [batch_size, sequence_length, vocab].
 *
 * <p>Decoders, {@link Form#KV_CACHE}: {@code input_ids} [batch_size, sequence_length], {@code attention_mask}
 * [batch_size, total_sequence_length], {@code position_ids} [batch_size, sequence_length],
 * {@code past_key_values.{i}.key|value} float [batch_size, kv_heads, past_sequence_length, head_dim] →
 * {@code logits}, {@code present.{i}.key|value} [batch_size, kv_heads, total_sequence_length, head_dim].
 *
 * <p>BERT classifier: {@code input_ids}, {@code attention_mask}, {@code token_type_ids} (when the config has more
 * than one token type) → {@code logits} float [batch_size, num_labels].
 */
public final class ModelIo {

    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String POSITION_IDS = "position_ids";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";
    public static final String LOGITS = "logits";

    public static final String BATCH = "batch_size";
    public static final String SEQUENCE = "sequence_length";
    public static final String PAST_SEQUENCE = "past_sequence_length";
    public static final String TOTAL_SEQUENCE = "total_sequence_length";

    private ModelIo() {
    }

    /** {@code past_key_values.{layer}.key} or {@code .value}. */
    public static String past(int layer, boolean key) {
        return "past_key_values." + layer + (key ? ".key" : ".value");
    }

    /** {@code present.{layer}.key} or {@code .value}. */
    public static String present(int layer, boolean key) {
        return "present." + layer + (key ? ".key" : ".value");
    }
}
