package io.ortune.models.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A GPT-2 config ({@code model_type} gpt2): learned position embeddings, pre-norm LayerNorm blocks, fused c_attn,
 * a GELU MLP of width {@link #nInner()}.
 *
 * <p>Missing optional keys take Hugging Face's {@code GPT2Config} defaults; the sizes ({@code n_embd},
 * {@code n_layer}, {@code n_head}, {@code vocab_size}) are required. Options that change the attention math
 * ({@code scale_attn_by_inverse_layer_idx}, {@code scale_attn_weights: false}, {@code add_cross_attention}) are
 * refused when parsing.
 *
 * @param nInner MLP width ({@code n_inner}, default 4 × n_embd)
 */
public record Gpt2Config(int nEmbd, int nLayer, int nHead, int nPositions, int nInner, int vocabSize,
                         double layerNormEpsilon, String activationFunction, boolean tieWordEmbeddings,
                         OptionalInt bosTokenId, OptionalInt eosTokenId, double attnPdrop, double residPdrop,
                         double embdPdrop) implements ModelConfig {

    public Gpt2Config {
        Objects.requireNonNull(activationFunction, "activationFunction");
        Objects.requireNonNull(bosTokenId, "bosTokenId");
        Objects.requireNonNull(eosTokenId, "eosTokenId");
        ConfigJson.requirePositive("n_embd", nEmbd);
        ConfigJson.requirePositive("n_layer", nLayer);
        ConfigJson.requirePositive("n_head", nHead);
        ConfigJson.requirePositive("n_positions", nPositions);
        ConfigJson.requirePositive("n_inner", nInner);
        ConfigJson.requirePositive("vocab_size", vocabSize);
        if (nEmbd % nHead != 0) {
            throw new IllegalArgumentException("n_embd " + nEmbd + " must be a multiple of n_head " + nHead);
        }
        if (!(layerNormEpsilon > 0)) {
            throw new IllegalArgumentException("layer_norm_epsilon must be positive, got " + layerNormEpsilon);
        }
        ConfigJson.requireProbability("attn_pdrop", attnPdrop);
        ConfigJson.requireProbability("resid_pdrop", residPdrop);
        ConfigJson.requireProbability("embd_pdrop", embdPdrop);
        ConfigJson.requireOneOf("activation_function", activationFunction, ACTIVATIONS);
    }

    @Override
    public String modelType() {
        return "gpt2";
    }

    /** Per-head width, n_embd / n_head. */
    public int headDim() {
        return nEmbd / nHead;
    }

    static Gpt2Config parse(ConfigJson j) {
        if (j.boolOr("scale_attn_by_inverse_layer_idx", false)) {
            throw j.error("scale_attn_by_inverse_layer_idx=true is not supported");
        }
        if (!j.boolOr("scale_attn_weights", true)) {
            throw j.error("scale_attn_weights=false is not supported");
        }
        if (j.boolOr("add_cross_attention", false)) {
            throw j.error("add_cross_attention=true (an encoder-decoder GPT-2) is not supported");
        }
        int nEmbd = j.requireInt("n_embd");
        return new Gpt2Config(nEmbd, j.requireInt("n_layer"), j.requireInt("n_head"),
                j.intOr("n_positions", j.intOr("n_ctx", 1024)), j.intOr("n_inner", 4 * nEmbd),
                j.requireInt("vocab_size"), j.doubleOr("layer_norm_epsilon", 1e-5),
                j.stringOr("activation_function", "gelu_new"), j.boolOr("tie_word_embeddings", true),
                j.present("bos_token_id") ? j.optInt("bos_token_id") : OptionalInt.of(50256),
                j.present("eos_token_id") ? j.optInt("eos_token_id") : OptionalInt.of(50256),
                j.doubleOr("attn_pdrop", 0.1), j.doubleOr("resid_pdrop", 0.1), j.doubleOr("embd_pdrop", 0.1));
    }

    @Override
    public ObjectNode toJsonNode() {
        ObjectNode o = ConfigJson.MAPPER.createObjectNode();
        o.put("model_type", modelType());
        o.put("n_embd", nEmbd).put("n_layer", nLayer).put("n_head", nHead).put("n_positions", nPositions)
                .put("n_inner", nInner).put("vocab_size", vocabSize).put("layer_norm_epsilon", layerNormEpsilon)
                .put("activation_function", activationFunction).put("tie_word_embeddings", tieWordEmbeddings)
                .put("attn_pdrop", attnPdrop).put("resid_pdrop", residPdrop).put("embd_pdrop", embdPdrop);
        if (bosTokenId.isPresent()) {
            o.put("bos_token_id", bosTokenId.getAsInt());
        } else {
            o.putNull("bos_token_id");
        }
        if (eosTokenId.isPresent()) {
            o.put("eos_token_id", eosTokenId.getAsInt());
        } else {
            o.putNull("eos_token_id");
        }
        return o;
    }
}
