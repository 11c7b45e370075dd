package io.ortune.models.arch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ortune.graph.io.NpyFiles;
import io.ortune.graph.ir.Tensor;
import io.ortune.models.TestData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One PyTorch golden fixture under {@code models/src/test/resources/golden/<name>/} (made by
 * {@code tools/torch_reference.py}; conventions in its README.md): inputs, expected logits, and for Hugging Face
 * fixtures config.json and model.safetensors.
 *
 * @param compare the slots whose logits are meaningful (the README's {@code compare_mask}; all when absent)
 */
record GoldenFixture(String name, Path dir, long[][] ids, long[][] mask, long[][] positions, long[][] compare,
                     Tensor logits) {

    static Path root() {
        return TestData.root().resolve("models/src/test/resources/golden");
    }

    static boolean exists(String name) {
        return Files.isRegularFile(root().resolve(name).resolve("logits.npy"));
    }

    static GoldenFixture load(String name) throws IOException {
        Path dir = root().resolve(name);
        JsonNode in = new ObjectMapper().readTree(dir.resolve("inputs.json").toFile());
        long[][] ids = matrix(in.get("input_ids"));
        long[][] mask = in.has("attention_mask") ? matrix(in.get("attention_mask")) : ones(ids);
        long[][] positions = in.has("position_ids") ? matrix(in.get("position_ids")) : Sessions.positions(mask);
        long[][] compare = in.has("compare_mask") ? matrix(in.get("compare_mask")) : ones(ids);
        return new GoldenFixture(name, dir, ids, mask, positions, compare, NpyFiles.read(dir.resolve("logits.npy")));
    }

    private static long[][] matrix(JsonNode rows) {
        long[][] out = new long[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            JsonNode r = rows.get(i);
            out[i] = new long[r.size()];
            for (int j = 0; j < r.size(); j++) {
                out[i][j] = r.get(j).asLong();
            }
        }
        return out;
    }

    private static long[][] ones(long[][] like) {
        long[][] out = new long[like.length][like[0].length];
        for (long[] row : out) {
            java.util.Arrays.fill(row, 1);
        }
        return out;
    }

    int vocab() {
        long[] d = logits.dims();
        return (int) d[d.length - 1];
    }
}
