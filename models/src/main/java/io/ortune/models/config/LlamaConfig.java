package io.ortune.models.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Llama-family decoder config ({@code model_type} llama, mistral or qwen2): pre-norm RMSNorm blocks, rotary
 * attention with grouped key/value heads, a gated (SwiGLU) MLP.
 *
 * <p>Family differences: Mistral adds {@code sliding_window} (reported here; a builder may use it or refuse
 * sequences longer than the window). Qwen2 has biases on the q/k/v projections but not on o_proj, so
 * {@link #attentionBias()} defaults to true for it and {@link #oProjBias()} is always false; Qwen2's window is
 * reported only when {@code use_sliding_window} is true.
 *
 * @param variant               which family member
 * @param headDim               per-head width ({@code head_dim}, default hidden_size / num_attention_heads)
 * @param ropeScaling           empty for plain RoPE
 * @param eosTokenIds           {@code eos_token_id}, which may be a list (Llama 3.1); empty when absent
 * @param slidingWindow         attention window in tokens, when the model uses one
 */
public record LlamaConfig(Variant variant, int hiddenSize, int intermediateSize, int numHiddenLayers,
                          int numAttentionHeads, int numKeyValueHeads, int headDim, int vocabSize, double rmsNormEps,
                          double ropeTheta, Optional<RopeScaling> ropeScaling, int maxPositionEmbeddings,
                          boolean attentionBias, boolean mlpBias, boolean tieWordEmbeddings, String hiddenAct,
                          OptionalInt bosTokenId, List<Integer> eosTokenIds, OptionalInt padTokenId,
                          OptionalInt slidingWindow) implements ModelConfig {

    /** The Llama-family {@code model_type}s. */
    public enum Variant {
        LLAMA("llama"), MISTRAL("mistral"), QWEN2("qwen2");

        private final String modelType;

        Variant(String modelType) {
            this.modelType = modelType;
        }

        /** The {@code model_type} spelling. */
        public String modelType() {
            return modelType;
        }

        static Variant of(String modelType) {
            for (Variant v : values()) {
                if (v.modelType.equals(modelType)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("not a Llama-family model_type: " + modelType);
        }
    }

    public LlamaConfig {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(ropeScaling, "ropeScaling (use Optional.empty())");
        Objects.requireNonNull(hiddenAct, "hiddenAct");
        Objects.requireNonNull(bosTokenId, "bosTokenId");
        Objects.requireNonNull(padTokenId, "padTokenId");
        Objects.requireNonNull(slidingWindow, "slidingWindow");
        eosTokenIds = List.copyOf(eosTokenIds);
        ConfigJson.requirePositive("hidden_size", hiddenSize);
        ConfigJson.requirePositive("intermediate_size", intermediateSize);
        ConfigJson.requirePositive("num_hidden_layers", numHiddenLayers);
        ConfigJson.requirePositive("num_attention_heads", numAttentionHeads);
        ConfigJson.requirePositive("num_key_value_heads", numKeyValueHeads);
        ConfigJson.requirePositive("head_dim", headDim);
        ConfigJson.requirePositive("vocab_size", vocabSize);
        ConfigJson.requirePositive("max_position_embeddings", maxPositionEmbeddings);
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + numAttentionHeads
                    + " must be a multiple of num_key_value_heads " + numKeyValueHeads);
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim " + headDim + " must be even for rotary embeddings");
        }
        if (!(rmsNormEps > 0)) {
            throw new IllegalArgumentException("rms_norm_eps must be positive, got " + rmsNormEps);
        }
        if (!(ropeTheta > 0)) {
            throw new IllegalArgumentException("rope_theta must be positive, got " + ropeTheta);
        }
        slidingWindow.ifPresent(w -> ConfigJson.requirePositive("sliding_window", w));
        ConfigJson.requireOneOf("hidden_act", hiddenAct, ACTIVATIONS);
    }

    @Override
    public String modelType() {
        return variant.modelType();
    }

    /** Whether q_proj, k_proj and v_proj have biases. */
    public boolean qkvBias() {
        return attentionBias;
    }

    /** Whether o_proj has a bias (Llama's {@code attention_bias}; never for Qwen2). */
    public boolean oProjBias() {
        return attentionBias && variant != Variant.QWEN2;
    }

    /** Width of the key/value projections: num_key_value_heads × head_dim. */
    public int kvDim() {
        return numKeyValueHeads * headDim;
    }

    /** How many query heads share one key/value head. */
    public int groupSize() {
        return numAttentionHeads / numKeyValueHeads;
    }

    static LlamaConfig parse(ConfigJson j, String modelType) {
        Variant v = Variant.of(modelType);
        int hidden = j.requireInt("hidden_size");
        int heads = j.requireInt("num_attention_heads");
        if (!j.has("head_dim") && heads > 0 && hidden % heads != 0) {
            throw j.error("hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads
                    + " and no head_dim is given");
        }
        int headDim = j.intOr("head_dim", heads > 0 ? hidden / heads : 0);
        OptionalInt window = OptionalInt.empty();
        if (v == Variant.MISTRAL) {
            window = j.optInt("sliding_window");
        } else if (v == Variant.QWEN2 && j.boolOr("use_sliding_window", false)) {
            window = OptionalInt.of(j.intOr("sliding_window", 4096));
        }
        int defaultMaxPos = switch (v) {
            case LLAMA -> 2048;
            case MISTRAL -> 4096 * 32;
            case QWEN2 -> 32768;
        };
        boolean hfDefaultIds = v != Variant.QWEN2;
        // transformers 5 nests rope_theta and the scaling kind in "rope_parameters"; older files use top-level keys.
        ConfigJson rope = j.object("rope_parameters");
        double theta = rope != null && rope.has("rope_theta") ? rope.doubleOr("rope_theta", 10000.0)
                : j.doubleOr("rope_theta", 10000.0);
        RopeScaling scaling = rope != null ? RopeScaling.parse(rope) : RopeScaling.parse(j.object("rope_scaling"));
        return new LlamaConfig(v, hidden, j.requireInt("intermediate_size"), j.requireInt("num_hidden_layers"),
                heads, j.intOr("num_key_value_heads", heads), headDim, j.requireInt("vocab_size"),
                j.doubleOr("rms_norm_eps", 1e-6), theta, Optional.ofNullable(scaling),
                j.intOr("max_position_embeddings", defaultMaxPos),
                j.boolOr("attention_bias", v == Variant.QWEN2), j.boolOr("mlp_bias", false),
                j.boolOr("tie_word_embeddings", false), j.stringOr("hidden_act", "silu"),
                j.present("bos_token_id") || !hfDefaultIds ? j.optInt("bos_token_id") : OptionalInt.of(1),
                j.present("eos_token_id") || !hfDefaultIds ? j.intList("eos_token_id") : List.of(2),
                j.optInt("pad_token_id"), window);
    }

    @Override
    public ObjectNode toJsonNode() {
        ObjectNode o = ConfigJson.MAPPER.createObjectNode();
        o.put("model_type", modelType());
        o.put("hidden_size", hiddenSize).put("intermediate_size", intermediateSize)
                .put("num_hidden_layers", numHiddenLayers).put("num_attention_heads", numAttentionHeads)
                .put("num_key_value_heads", numKeyValueHeads).put("head_dim", headDim).put("vocab_size", vocabSize)
                .put("rms_norm_eps", rmsNormEps).put("rope_theta", ropeTheta)
                .put("max_position_embeddings", maxPositionEmbeddings).put("attention_bias", attentionBias)
                .put("mlp_bias", mlpBias).put("tie_word_embeddings", tieWordEmbeddings).put("hidden_act", hiddenAct);
        if (ropeScaling.isPresent()) {
            ropeScaling.get().writeTo(o.putObject("rope_scaling"));
        } else {
            o.putNull("rope_scaling");
        }
        if (bosTokenId.isPresent()) {
            o.put("bos_token_id", bosTokenId.getAsInt());
        } else {
            o.putNull("bos_token_id");
        }
        if (eosTokenIds.isEmpty()) {
            o.putNull("eos_token_id");
        } else if (eosTokenIds.size() == 1) {
            o.put("eos_token_id", eosTokenIds.get(0));
        } else {
            ArrayNode a = o.putArray("eos_token_id");
            eosTokenIds.forEach(a::add);
        }
        padTokenId.ifPresent(p -> o.put("pad_token_id", p));
        if (variant == Variant.MISTRAL) {
            if (slidingWindow.isPresent()) {
                o.put("sliding_window", slidingWindow.getAsInt());
            } else {
                o.putNull("sliding_window");
            }
        } else if (variant == Variant.QWEN2) {
            o.put("use_sliding_window", slidingWindow.isPresent());
            slidingWindow.ifPresent(w -> o.put("sliding_window", w));
        }
        return o;
    }
}
