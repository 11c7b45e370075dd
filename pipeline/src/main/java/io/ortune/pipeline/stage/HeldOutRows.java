package io.ortune.pipeline.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.io.ReadableFiles;
import io.ortune.training.data.Example;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The held-out rows a train stage used, as JSON lines {@code {"input_ids": [...], "labels": [...]}}: what the evaluate
 * (and later the quantize calibration) stage reads, so that every stage sees the same split.
 */
final class HeldOutRows {

    static final String FILE = "heldout.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HeldOutRows() {
    }

    static void write(Path file, List<Example> rows) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Example e : rows) {
            ObjectNode o = JSON.createObjectNode();
            var ids = o.putArray("input_ids");
            for (int v : e.inputIds()) {
                ids.add(v);
            }
            var labels = o.putArray("labels");
            for (int v : e.labels()) {
                labels.add(v);
            }
            b.append(JSON.writeValueAsString(o)).append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }

    static List<Example> read(Path file) throws IOException {
        ReadableFiles.file(file, "held-out rows");
        List<Example> out = new ArrayList<>();
        int line = 0;
        for (String s : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            line++;
            if (s.isBlank()) {
                continue;
            }
            JsonNode o = JSON.readTree(s);
            JsonNode ids = o.get("input_ids");
            JsonNode labels = o.get("labels");
            if (ids == null || labels == null || ids.size() != labels.size()) {
                throw new IOException(file + " line " + line + ": expected input_ids and labels of equal length");
            }
            int[] a = new int[ids.size()];
            int[] l = new int[ids.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = ids.get(i).asInt();
                l[i] = labels.get(i).asInt();
            }
            out.add(new Example(a, l));
        }
        return out;
    }
}
