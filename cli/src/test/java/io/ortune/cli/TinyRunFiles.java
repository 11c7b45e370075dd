package io.ortune.cli;

import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** The files the CLI training tests share: a seeded tiny Llama (GQA, vocab 64) and rows of token ids in JSONL. */
final class TinyRunFiles {

    private TinyRunFiles() {
    }

    /** {@code dir/llama.onnx}: hidden 32, 4 heads over 2 KV heads, {@code layers} layers, training form, seed 1. */
    static Path llama(Path dir, int layers) throws IOException {
        Path p = dir.resolve("llama.onnx");
        OnnxWriter.write(ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"llama\",\"vocab_size\":64,"
                + "\"hidden_size\":32,\"intermediate_size\":48,\"num_hidden_layers\":" + layers
                + ",\"num_attention_heads\":4,\"num_key_value_heads\":2,\"max_position_embeddings\":64}", "t"), 1,
                Form.TRAINING), p);
        return p;
    }

    /** {@code dir/data.jsonl}: {@code rows} rows of 12 ids below 64, seed 3. */
    static Path idRows(Path dir, int rows) throws IOException {
        Random r = new Random(3);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            s.append("{\"input_ids\": [");
            for (int t = 0; t < 12; t++) {
                s.append(t == 0 ? "" : ", ").append(r.nextInt(64));
            }
            s.append("]}\n");
        }
        Path p = dir.resolve("data.jsonl");
        Files.writeString(p, s.toString());
        return p;
    }
}
