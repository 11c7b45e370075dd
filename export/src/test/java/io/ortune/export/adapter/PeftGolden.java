package io.ortune.export.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ortune.graph.io.NpyFiles;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.runtime.InferenceSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One fixture of {@code export/src/test/resources/golden/peft/} (made by {@code tools/peft_golden.py}, see its
 * README): the adapter folder, the base it is for, the inputs and the expected output.
 *
 * @param name     fixture folder name
 * @param dir      the folder (also the adapter folder)
 * @param baseDir  the folder holding the base's config.json and model.safetensors
 * @param feeds    the model inputs by name
 * @param mask     attention_mask rows (slots to compare for per-token outputs)
 * @param expected the expected output
 */
record PeftGolden(String name, Path dir, Path baseDir, Map<String, Tensor> feeds, long[][] mask, Tensor expected) {

    static Path root() {
        return Path.of(System.getProperty("ortune.root", "..")).toAbsolutePath().normalize();
    }

    static PeftGolden load(String name) throws IOException {
        Path dir = root().resolve("export/src/test/resources/golden/peft").resolve(name);
        if (!Files.isRegularFile(dir.resolve("logits.npy"))) {
            throw new IllegalStateException("golden fixture " + dir + " is missing (run tools/peft_golden.py)");
        }
        Path base = switch (name) {
            case "gpt2-lora", "gpt2-lora-layers" -> root().resolve("models/src/test/resources/golden/gpt2-tiny");
            case "llama-lora", "llama-dora" -> root().resolve("models/src/test/resources/golden/llama-tiny-gqa");
            default -> dir;
        };
        JsonNode in = new ObjectMapper().readTree(dir.resolve("inputs.json").toFile());
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (String input : new String[] {"input_ids", "attention_mask", "token_type_ids"}) {
            if (in.has(input)) {
                feeds.put(input, longs(input, matrix(in.get(input))));
            }
        }
        return new PeftGolden(name, dir, base, feeds, matrix(in.get("attention_mask")),
                NpyFiles.read(dir.resolve("logits.npy")));
    }

    /** The base model, built by the models module from config.json + model.safetensors. */
    Model base() throws IOException {
        return ModelFactory.fromHuggingFace(baseDir.resolve("config.json"), baseDir.resolve("model.safetensors"),
                Form.TRAINING);
    }

    /** Per-token outputs: [batch, seq] compare flags from the mask; per-row outputs (classifier logits): null. */
    boolean[] compareFlags() {
        if (expected.rank() != 3) {
            return null;
        }
        boolean[] out = new boolean[mask.length * mask[0].length];
        for (int b = 0; b < mask.length; b++) {
            for (int t = 0; t < mask[b].length; t++) {
                out[b * mask[b].length + t] = mask[b][t] != 0;
            }
        }
        return out;
    }

    static Map<String, Tensor> run(Model m, Map<String, Tensor> feeds) {
        try (InferenceSession s = InferenceSession.fromBytes(OnnxWriter.toBytes(m))) {
            return s.run(feeds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long[][] matrix(JsonNode rows) {
        long[][] out = new long[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            out[i] = new long[rows.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = rows.get(i).get(j).asLong();
            }
        }
        return out;
    }

    static Tensor longs(String name, long[][] rows) {
        long[] flat = new long[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return Tensor.ofLongs(name, new long[] {rows.length, rows[0].length}, flat);
    }
}
