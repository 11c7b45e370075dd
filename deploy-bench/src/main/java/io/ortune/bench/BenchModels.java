package io.ortune.bench;

import io.ortune.graph.inspect.ModelSummary;
import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfig;
import io.ortune.models.config.ModelConfigs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The benchmark's models, built in their KV-cache form and written to the work folder. */
final class BenchModels {

    /** GPT-2 small's shape (124M parameters), as tools/torch_bench.py builds it. */
    static final String GPT2_SMALL = "{\"model_type\":\"gpt2\",\"n_embd\":768,\"n_layer\":12,\"n_head\":12,"
            + "\"vocab_size\":50257,\"n_positions\":1024,\"activation_function\":\"gelu_new\"}";

    /**
     * A written model.
     *
     * @param file       the KV-cache form on disk
     * @param parameters parameter count
     * @param weightBytes parameter bytes (what one decode step reads)
     * @param vocab      vocabulary size
     * @param origin     where the weights come from
     */
    record Built(Path file, long parameters, long weightBytes, int vocab, String origin) { }

    private BenchModels() {
    }

    static Built build(String name, BenchSettings s) throws IOException {
        Model model;
        String origin;
        if (name.equals("stories260K")) {
            model = ModelFactory.fromLlama2c(s.stories(), Form.KV_CACHE);
            origin = "llama2.c checkpoint " + s.stories().getFileName();
        } else {
            ModelConfig c = ModelConfigs.parse(GPT2_SMALL, "GPT-2 small shape");
            model = ModelFactory.randomInit(c, 0, Form.KV_CACHE);
            origin = "random weights (ortune RandomSource, seed 0)";
        }
        Files.createDirectories(s.workDir());
        Path file = s.workDir().resolve(name + "-kv.onnx");
        OnnxWriter.write(model, file);
        ModelSummary summary = ModelSummary.of(model);
        int vocab = name.equals("stories260K") ? 512 : 50257;
        return new Built(file, summary.parameterCount(), summary.parameterBytes(), vocab, origin);
    }
}
