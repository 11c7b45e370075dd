package io.ortune.models.arch;

import io.ortune.models.config.BertConfig;
import io.ortune.models.config.Gpt2Config;
import io.ortune.models.config.LlamaConfig;
import io.ortune.models.config.ModelConfig;
import io.ortune.models.config.ModelConfigs;

/** Tiny configs of every family, as Hugging Face config.json text, for tests that build random models. */
final class TinyConfigs {

    private TinyConfigs() {
    }

    static ModelConfig parse(String json) {
        return ModelConfigs.parse(json, "test config");
    }

    static Gpt2Config gpt2() {
        return (Gpt2Config) parse("{\"model_type\":\"gpt2\",\"vocab_size\":50,\"n_positions\":32,\"n_embd\":24,"
                + "\"n_layer\":2,\"n_head\":3}");
    }

    /** Llama with grouped-query attention (4 query heads, 2 kv heads), untied head. */
    static LlamaConfig llamaGqa() {
        return llama("\"num_attention_heads\":4,\"num_key_value_heads\":2");
    }

    /** Llama with every bias, head_dim 12 ≠ hidden/heads, 3 query heads per kv head, tied embeddings. */
    static LlamaConfig llamaBiasedTied() {
        return llama("\"num_attention_heads\":6,\"num_key_value_heads\":2,\"head_dim\":12,\"attention_bias\":true,"
                + "\"mlp_bias\":true,\"tie_word_embeddings\":true");
    }

    /** Qwen2: q/k/v biases, no o_proj bias, tied. */
    static LlamaConfig qwen2() {
        return qwen2("");
    }

    /** Qwen2 with extra keys ({@code "k":v,} text, trailing comma). */
    static LlamaConfig qwen2(String extra) {
        return (LlamaConfig) parse("{" + extra + "\"model_type\":\"qwen2\",\"vocab_size\":40,\"hidden_size\":32,"
                + "\"intermediate_size\":48,\"num_hidden_layers\":2,\"num_attention_heads\":4,"
                + "\"num_key_value_heads\":1,\"max_position_embeddings\":64,\"rope_theta\":1000000.0,"
                + "\"tie_word_embeddings\":true}");
    }

    /** Mistral with a sliding window of {@code window} tokens. */
    static LlamaConfig mistral(int window, int layers) {
        return mistral(Integer.toString(window), layers);
    }

    /** Mistral with {@code sliding_window} given as JSON text ({@code null} for none). */
    static LlamaConfig mistral(String window, int layers) {
        return (LlamaConfig) parse("{\"model_type\":\"mistral\",\"vocab_size\":40,\"hidden_size\":32,"
                + "\"intermediate_size\":48,\"num_hidden_layers\":" + layers + ",\"num_attention_heads\":4,"
                + "\"num_key_value_heads\":2,\"max_position_embeddings\":64,\"sliding_window\":" + window + "}");
    }

    static LlamaConfig llama(String extra) {
        return (LlamaConfig) parse("{\"model_type\":\"llama\",\"vocab_size\":40,\"hidden_size\":32,"
                + "\"intermediate_size\":48,\"num_hidden_layers\":2,\"max_position_embeddings\":64,"
                + "\"rms_norm_eps\":1e-5," + extra + "}");
    }

    static BertConfig bert() {
        return bert(2);
    }

    static BertConfig bert(int typeVocabSize) {
        return (BertConfig) parse("{\"model_type\":\"bert\",\"vocab_size\":60,\"hidden_size\":24,"
                + "\"num_hidden_layers\":2,\"num_attention_heads\":3,\"intermediate_size\":40,"
                + "\"max_position_embeddings\":16,\"num_labels\":3,\"type_vocab_size\":" + typeVocabSize + "}");
    }
}
