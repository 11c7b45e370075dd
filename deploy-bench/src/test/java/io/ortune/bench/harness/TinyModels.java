package io.ortune.bench.harness;

import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;

import java.io.IOException;
import java.nio.file.Path;

/** A one-layer GPT-2 (vocab 64, width 32) written in either form, for fast harness tests. */
final class TinyModels {

    static final int VOCAB = 64;

    private TinyModels() {
    }

    static Path gpt2(Path dir, Form form) throws IOException {
        Path file = dir.resolve("tiny-gpt2-" + form.metadataValue() + ".onnx");
        OnnxWriter.write(ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"gpt2\",\"vocab_size\":" + VOCAB
                + ",\"n_positions\":64,\"n_embd\":32,\"n_layer\":1,\"n_head\":2}", "tiny gpt2"), 1, form), file);
        return file;
    }
}
