package io.ortune.export.quant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ortune.graph.io.ReadableFiles;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Calibration or evaluation data: JSON lines, one row (batch 1) per line, each an object whose keys are the model's
 * integer inputs holding one array of ids, e.g. {@code {"input_ids":[1,403,407]}} or, for a BERT encoder,
 * {@code {"input_ids":[101,7592,102],"attention_mask":[1,1,1],"token_type_ids":[0,0,0]}}. Omitted
 * {@code attention_mask} means all ones, omitted {@code token_type_ids} all zeros and omitted
 * {@code position_ids} 0..T-1. An optional integer {@code "label"} is a classifier's expected class (used by
 * {@link QuantQuality} for the task metric). Blank lines are skipped.
 *
 * @param file   where the rows came from (for messages)
 * @param rows   each row's arrays by key, in file order
 * @param labels each row's label, when given
 */
public record TokenRows(Path file, List<Map<String, long[]>> rows, List<OptionalInt> labels) {

    static final String LABEL = "label";
    private static final ObjectMapper JSON = new ObjectMapper();

    public TokenRows {
        rows = List.copyOf(rows);
        labels = List.copyOf(labels);
    }

    /** Reads up to {@code limit} rows of {@code file}; a malformed line is refused with its number. */
    public static TokenRows read(Path file, int limit) throws IOException {
        ReadableFiles.file(file, "data file");
        List<Map<String, long[]>> rows = new ArrayList<>();
        List<OptionalInt> labels = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size() && rows.size() < limit; i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String at = file + " line " + (i + 1);
            JsonNode obj;
            try {
                obj = JSON.readTree(lines.get(i));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(at + ": not JSON (" + e.getOriginalMessage() + "); expected an "
                        + "object like {\"input_ids\":[1,2,3]}");
            }
            if (obj == null || !obj.isObject()) {
                throw new IllegalArgumentException(at + ": expected an object like {\"input_ids\":[1,2,3]}");
            }
            rows.add(row(obj, at));
            labels.add(obj.has(LABEL) ? OptionalInt.of(obj.get(LABEL).asInt()) : OptionalInt.empty());
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + ": no rows; expected JSON lines like {\"input_ids\":[1,2,3]}");
        }
        return new TokenRows(file, rows, labels);
    }

    private static Map<String, long[]> row(JsonNode obj, String at) {
        Map<String, long[]> row = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals(LABEL)) {
                if (!f.getValue().canConvertToInt()) {
                    throw new IllegalArgumentException(at + ": \"label\" must be an integer class index");
                }
                continue;
            }
            JsonNode a = f.getValue();
            if (!a.isArray() || a.isEmpty()) {
                throw new IllegalArgumentException(at + ": key '" + f.getKey() + "' must be a non-empty array of "
                        + "integers");
            }
            long[] ids = new long[a.size()];
            for (int j = 0; j < ids.length; j++) {
                if (!a.get(j).canConvertToLong()) {
                    throw new IllegalArgumentException(at + ": key '" + f.getKey() + "' element " + j + " is "
                            + a.get(j) + ", expected an integer");
                }
                ids[j] = a.get(j).asLong();
            }
            row.put(f.getKey(), ids);
        }
        return row;
    }

    /**
     * The feeds of every row for {@code model}, checked against its inputs: every key must be an input, every
     * input must be given or have a default, and a row's arrays must have one length.
     */
    public List<Map<String, Tensor>> feeds(Model model) {
        Graph g = model.graph();
        List<String> inputs = g.inputs().stream().filter(v -> !v.isInitializer()).map(Value::name).toList();
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            String at = file + " row " + (r + 1);
            Map<String, long[]> row = rows.get(r);
            for (String k : row.keySet()) {
                if (!inputs.contains(k)) {
                    throw new IllegalArgumentException(at + ": key '" + k + "' is not an input of the model; its "
                            + "inputs are " + inputs);
                }
            }
            out.add(feedsOf(g, row, at));
        }
        return out;
    }

    private static Map<String, Tensor> feedsOf(Graph g, Map<String, long[]> row, String at) {
        int len = -1;
        for (Map.Entry<String, long[]> e : row.entrySet()) {
            if (len >= 0 && e.getValue().length != len) {
                throw new IllegalArgumentException(at + ": key '" + e.getKey() + "' has " + e.getValue().length
                        + " elements, the other keys " + len);
            }
            len = e.getValue().length;
        }
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (Value in : g.inputs()) {
            if (in.isInitializer()) {
                continue;
            }
            long[] ids = row.containsKey(in.name()) ? row.get(in.name()) : defaultFor(in.name(), len);
            if (ids == null || len < 0) {
                throw new IllegalArgumentException(at + ": the model's input '" + in.name() + "' is not given "
                        + "and has no default (defaults exist for attention_mask, token_type_ids, position_ids); "
                        + "add it to every row");
            }
            feeds.put(in.name(), tensorFor(in, ids, at));
        }
        return feeds;
    }

    private static long[] defaultFor(String input, int len) {
        if (len < 0) {
            return null;
        }
        long[] v = new long[len];
        switch (input) {
            case "attention_mask" -> java.util.Arrays.fill(v, 1);
            case "token_type_ids" -> { }
            case "position_ids" -> {
                for (int i = 0; i < len; i++) {
                    v[i] = i;
                }
            }
            default -> {
                return null;
            }
        }
        return v;
    }

    private static Tensor tensorFor(Value in, long[] ids, String at) {
        DataType t = in.dtype();
        long[] dims = {1, ids.length};
        if (t == DataType.INT64 || t == null) {
            return Tensor.ofLongs(in.name(), dims, ids);
        }
        if (t == DataType.INT32) {
            int[] v = new int[ids.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.toIntExact(ids[i]);
            }
            return Tensor.ofInts(in.name(), dims, v);
        }
        throw new IllegalArgumentException(at + ": the model's input '" + in.name() + "' is " + t.onnxName()
                + "; data files give integer id inputs (int64 or int32) only");
    }
}
