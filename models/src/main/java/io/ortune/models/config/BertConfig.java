package io.ortune.models.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A BERT-style encoder config ({@code model_type} bert): absolute position and token-type embeddings, post-norm
 * LayerNorm blocks, a GELU MLP, and (for classification) a label list.
 *
 * <p>{@code id2label} determines the labels; without it, {@code num_labels} (default 2) gives {@code LABEL_0},
 * {@code LABEL_1}, ... as Hugging Face does. Only {@code position_embedding_type: "absolute"} is supported.
 *
 * @param labels class labels by id ({@code id2label}); {@link #numLabels()} is their count
 */
public record BertConfig(int hiddenSize, int numHiddenLayers, int numAttentionHeads, int intermediateSize,
                         String hiddenAct, int maxPositionEmbeddings, int typeVocabSize, int vocabSize,
                         double layerNormEps, double hiddenDropoutProb, double attentionProbsDropoutProb,
                         List<String> labels, int padTokenId) implements ModelConfig {

    public BertConfig {
        Objects.requireNonNull(hiddenAct, "hiddenAct");
        labels = List.copyOf(labels);
        ConfigJson.requirePositive("hidden_size", hiddenSize);
        ConfigJson.requirePositive("num_hidden_layers", numHiddenLayers);
        ConfigJson.requirePositive("num_attention_heads", numAttentionHeads);
        ConfigJson.requirePositive("intermediate_size", intermediateSize);
        ConfigJson.requirePositive("max_position_embeddings", maxPositionEmbeddings);
        ConfigJson.requirePositive("type_vocab_size", typeVocabSize);
        ConfigJson.requirePositive("vocab_size", vocabSize);
        ConfigJson.requirePositive("num_labels", labels.size());
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " must be a multiple of "
                    + "num_attention_heads " + numAttentionHeads);
        }
        if (!(layerNormEps > 0)) {
            throw new IllegalArgumentException("layer_norm_eps must be positive, got " + layerNormEps);
        }
        if (padTokenId < 0 || padTokenId >= vocabSize) {
            throw new IllegalArgumentException("pad_token_id " + padTokenId + " is outside the vocabulary [0, "
                    + vocabSize + ")");
        }
        ConfigJson.requireProbability("hidden_dropout_prob", hiddenDropoutProb);
        ConfigJson.requireProbability("attention_probs_dropout_prob", attentionProbsDropoutProb);
        ConfigJson.requireOneOf("hidden_act", hiddenAct, ACTIVATIONS);
    }

    @Override
    public String modelType() {
        return "bert";
    }

    /** Number of classification labels. */
    public int numLabels() {
        return labels.size();
    }

    /** Per-head width, hidden_size / num_attention_heads. */
    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    static BertConfig parse(ConfigJson j) {
        String positions = j.stringOr("position_embedding_type", "absolute");
        if (!positions.equals("absolute")) {
            throw j.error("position_embedding_type '" + positions + "' is not supported (supported: absolute)");
        }
        return new BertConfig(j.requireInt("hidden_size"), j.requireInt("num_hidden_layers"),
                j.requireInt("num_attention_heads"), j.requireInt("intermediate_size"),
                j.stringOr("hidden_act", "gelu"), j.intOr("max_position_embeddings", 512),
                j.intOr("type_vocab_size", 2), j.requireInt("vocab_size"), j.doubleOr("layer_norm_eps", 1e-12),
                j.doubleOr("hidden_dropout_prob", 0.1), j.doubleOr("attention_probs_dropout_prob", 0.1),
                labels(j), j.intOr("pad_token_id", 0));
    }

    private static List<String> labels(ConfigJson j) {
        ConfigJson id2label = j.object("id2label");
        if (id2label == null) {
            int n = j.intOr("num_labels", 2);
            if (n <= 0) {
                throw j.error("num_labels must be positive, got " + n);
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add("LABEL_" + i);
            }
            return out;
        }
        Map<Integer, String> byId = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : id2label.node().properties()) {
            int id;
            try {
                id = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw j.error("id2label key '" + e.getKey() + "' is not an integer id");
            }
            if (!e.getValue().isTextual()) {
                throw j.error("id2label value for id " + id + " must be a string, got " + e.getValue());
            }
            byId.put(id, e.getValue().textValue());
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < byId.size(); i++) {
            String label = byId.get(i);
            if (label == null) {
                throw j.error("id2label ids must be 0.." + (byId.size() - 1) + ", got " + byId.keySet());
            }
            out.add(label);
        }
        if (j.has("num_labels") && j.intOr("num_labels", out.size()) != out.size()) {
            throw j.error("num_labels " + j.intOr("num_labels", 0) + " disagrees with id2label, which has "
                    + out.size() + " labels");
        }
        return out;
    }

    @Override
    public ObjectNode toJsonNode() {
        ObjectNode o = ConfigJson.MAPPER.createObjectNode();
        o.put("model_type", modelType());
        o.put("hidden_size", hiddenSize).put("num_hidden_layers", numHiddenLayers)
                .put("num_attention_heads", numAttentionHeads).put("intermediate_size", intermediateSize)
                .put("hidden_act", hiddenAct).put("max_position_embeddings", maxPositionEmbeddings)
                .put("type_vocab_size", typeVocabSize).put("vocab_size", vocabSize).put("layer_norm_eps", layerNormEps)
                .put("hidden_dropout_prob", hiddenDropoutProb)
                .put("attention_probs_dropout_prob", attentionProbsDropoutProb)
                .put("position_embedding_type", "absolute").put("pad_token_id", padTokenId)
                .put("num_labels", labels.size());
        ObjectNode id2label = o.putObject("id2label");
        ObjectNode label2id = o.putObject("label2id");
        for (int i = 0; i < labels.size(); i++) {
            id2label.put(Integer.toString(i), labels.get(i));
            label2id.put(labels.get(i), i);
        }
        return o;
    }
}
