package io.ortune.models.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A parsed Hugging Face {@code config.json}: one record per supported architecture family. Every config writes itself
 * back as JSON in Hugging Face's key names ({@link #toJson()}), so a model can store it (for example in ONNX
 * {@code metadata_props}) and {@link ModelConfigs#parse} rebuilds an equal record.
 */
public sealed interface ModelConfig permits Gpt2Config, LlamaConfig, BertConfig {

    /** Activations ortune's model builders implement (Hugging Face {@code ACT2FN} spellings). */
    List<String> ACTIVATIONS = List.of("gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "quick_gelu", "relu",
            "silu", "swish", "tanh");

    /** The Hugging Face {@code model_type}. */
    String modelType();

    /** Vocabulary size (rows of the token embedding). */
    int vocabSize();

    /** This config as a Hugging Face style JSON object, including {@code model_type}. */
    ObjectNode toJsonNode();

    /** {@link #toJsonNode()} as pretty-printed text. */
    default String toJson() {
        try {
            return ConfigJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJsonNode());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + modelType() + " config", e);
        }
    }
}
