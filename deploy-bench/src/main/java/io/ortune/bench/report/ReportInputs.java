package io.ortune.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ortune.bench.harness.BenchResults;
import io.ortune.bench.harness.ResultsJson;
import io.ortune.graph.io.ReadableFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recognizes and reads report inputs: a bench output folder or {@code results.json} (schema checked), a training
 * run folder (holding {@code metrics.jsonl}, optionally {@code eval.jsonl}) or its {@code metrics.jsonl}, and any
 * other JSON object file as a {@link ReportInput.JsonReport}.
 */
final class ReportInputs {

    static final String METRICS = "metrics.jsonl";
    static final String EVALS = "eval.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportInputs() {
    }

    /** Reads every input; the first one that is unreadable or of the wrong schema fails, naming it. */
    static List<ReportInput> load(List<Path> paths) throws IOException {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no report input: give bench output folders or results.json files,"
                    + " training run folders, or quantization report JSON files");
        }
        List<ReportInput> out = new ArrayList<>();
        for (Path p : paths) {
            out.add(one(p));
        }
        return out;
    }

    static ReportInput one(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            if (Files.isRegularFile(p.resolve(BenchResults.JSON))) {
                return new ReportInput.Bench(p.resolve(BenchResults.JSON), ResultsJson.read(p));
            }
            if (Files.isRegularFile(p.resolve(METRICS))) {
                return training(p);
            }
            throw new IllegalArgumentException(p + ": a folder without " + BenchResults.JSON + " (bench output) or "
                    + METRICS + " (training run): nothing to report");
        }
        ReadableFiles.file(p, "report input");
        String name = p.getFileName().toString();
        if (name.equals(METRICS)) {
            return training(p.toAbsolutePath().getParent());
        }
        if (!name.endsWith(".json")) {
            throw new IllegalArgumentException(p + ": not a report input (expected a folder, a .json file or "
                    + METRICS + ")");
        }
        String text = Files.readString(p, StandardCharsets.UTF_8);
        JsonNode root = parse(p, text);
        JsonNode schema = root.get("schema");
        if (schema != null && schema.asText().startsWith("ortune.bench")) {
            return new ReportInput.Bench(p, ResultsJson.read(p));
        }
        return jsonReport(p, root);
    }

    private static JsonNode parse(Path p, String text) {
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException(p + ": expected a JSON object at the top level");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(p + ": not valid JSON (line " + e.getLocation().getLineNr() + "): "
                    + e.getOriginalMessage(), e);
        }
    }

    private static ReportInput.JsonReport jsonReport(Path p, JsonNode root) {
        String kind = root.path("kind").isTextual() ? root.get("kind").asText()
                : p.getFileName().toString().replaceFirst("\\.json$", "");
        Map<String, String> scalars = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isValueNode()) {
                scalars.put(e.getKey(), v.asText());
            } else if (v.isArray()) {
                scalars.put(e.getKey(), v.size() + " entries");
            } else {
                v.fields().forEachRemaining(n -> {
                    if (n.getValue().isValueNode()) {
                        scalars.put(e.getKey() + "." + n.getKey(), n.getValue().asText());
                    }
                });
            }
        }
        return new ReportInput.JsonReport(p, kind, new LinkedHashMap<>(scalars));
    }

    private static ReportInput.TrainingRun training(Path dir) throws IOException {
        List<Map<String, Double>> steps = jsonl(dir.resolve(METRICS));
        List<Map<String, Double>> evals = Files.isRegularFile(dir.resolve(EVALS)) ? jsonl(dir.resolve(EVALS))
                : List.of();
        return new ReportInput.TrainingRun(dir, steps, evals);
    }

    /** The numeric fields of each line; a line that is not a JSON object fails, naming file and line. */
    static List<Map<String, Double>> jsonl(Path file) throws IOException {
        List<Map<String, Double>> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode o;
            try {
                o = JSON.readTree(lines.get(i));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": not valid JSON: "
                        + e.getOriginalMessage(), e);
            }
            if (o == null || !o.isObject() || !o.path("step").isNumber()) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected a JSON object with a"
                        + " numeric \"step\"");
            }
            Map<String, Double> row = new LinkedHashMap<>();
            o.fields().forEachRemaining(e -> {
                if (e.getValue().isNumber()) {
                    row.put(e.getKey(), e.getValue().asDouble());
                }
            });
            rows.add(row);
        }
        return rows;
    }
}
