package io.ortune.export.adapter;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ortune.graph.io.NpyFiles;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.LinearMatcher;
import io.ortune.graph.peft.LinearSite;
import io.ortune.graph.peft.ModulePaths;
import io.ortune.graph.peft.WeightLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Not a test: dumps all-MiniLM-L6-v2's initializers as .npy under their Hugging Face names, with ONNX Runtime's
 * output on fixed inputs, for {@code tools/peft_golden.py --minilm DIR} (no {@code onnx} Python package exists here).
 * Runs only when asked:
 * {@code mvn -o -pl export -am test -Dtest=MiniLmDump -Dortune.minilm.dump=DIR
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class MiniLmDump {

    /** Fixed inputs: row 0 eight tokens, row 1 five tokens right-padded with [PAD] 0. */
    static final long[][] IDS = {{101, 7592, 2088, 2003, 1037, 3231, 6251, 102}, {101, 2023, 2003, 2307, 102, 0, 0, 0}};
    static final long[][] MASK = {{1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 0, 0, 0}};

    @Test
    void dump() throws IOException {
        String target = System.getProperty("ortune.minilm.dump");
        assumeTrue(target != null, "dumps only when -Dortune.minilm.dump=DIR is given (input for "
                + "tools/peft_golden.py)");
        Path dir = Files.createDirectories(Path.of(target));
        Model m = MiniLm.load(dir);
        Map<String, Object> tensors = new LinkedHashMap<>();
        for (LinearSite s : LinearMatcher.find(m.graph()).sites()) {
            String hf = s.module() + ".weight";
            String file = hf + ".npy";
            NpyFiles.write(s.weight().constant(), dir.resolve(file));
            tensors.put(hf, Map.of("file", file, "transposed", s.layout() == WeightLayout.IN_OUT));
        }
        for (Value v : m.graph().initializers().values()) {
            if (ModulePaths.fromWeightName(v.name()).isPresent() && v.constant().dtype().isFloatingPoint()) {
                NpyFiles.write(v.constant(), dir.resolve(v.name() + ".npy"));
                tensors.put(v.name(), Map.of("file", v.name() + ".npy", "transposed", false));
            }
        }
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put("input_ids", PeftGolden.longs("input_ids", IDS));
        feeds.put("attention_mask", PeftGolden.longs("attention_mask", MASK));
        feeds.put("token_type_ids", PeftGolden.longs("token_type_ids", new long[IDS.length][IDS[0].length]));
        NpyFiles.write(PeftGolden.run(m, feeds).get(MiniLm.OUTPUT), dir.resolve("base_output.npy"));
        Map<String, Object> names = new LinkedHashMap<>();
        names.put("tensors", tensors);
        names.put("input_ids", IDS);
        names.put("attention_mask", MASK);
        names.put("base_output", "base_output.npy");
        PeftConfigJson.JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("names.json").toFile(), names);
    }
}
