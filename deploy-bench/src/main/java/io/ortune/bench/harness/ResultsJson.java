package io.ortune.bench.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.io.ReadableFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code results.json}: writing, and reading back with the schema checked first. The schema is documented in the
 * module README ("results.json"); {@link #read} rejects a file of another schema or version before anything else,
 * naming the key and its line, and names the missing or mistyped key of a result ({@code results[3].latency_ms.p50}).
 */
public final class ResultsJson {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsJson() {
    }

    /** Writes {@code r} to {@code file} atomically. */
    public static void write(BenchResults r, Path file) throws IOException {
        AtomicFiles.writeString(file, JSON.writeValueAsString(toJson(r)) + "\n");
    }

    /** The JSON tree of {@code r}. */
    public static ObjectNode toJson(BenchResults r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", r.schema());
        root.put("created_utc", r.createdUtc());
        root.set("settings", ResultsJsonCodec.settings(r.settings()));
        root.set("machine", ResultsJsonCodec.machine(r.machine()));
        ArrayNode w = root.putArray("warnings");
        r.warnings().forEach(w::add);
        ArrayNode rs = root.putArray("results");
        for (BenchResult x : r.results()) {
            ObjectNode o = ResultsJsonCodec.result(x);
            r.p50VsFirst(x).ifPresent(v -> o.put("p50_vs_first", v));
            LimitsJson.writeResult(r, x, o);
            rs.add(o);
        }
        LimitsJson.write(r, root);
        return root;
    }

    /**
     * Reads a {@code results.json} file (or the {@code results.json} inside a folder).
     *
     * @throws IllegalArgumentException for another schema or version, or a missing or mistyped key, naming it
     */
    public static BenchResults read(Path fileOrDir) throws IOException {
        Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve(BenchResults.JSON) : fileOrDir;
        ReadableFiles.file(file, "bench results");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON (line " + e.getLocation().getLineNr() + "): "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object with \"schema\": \""
                    + BenchResults.SCHEMA + "\"");
        }
        checkSchema(file, text, root);
        return ResultsJsonCodec.results(file, root);
    }

    /** Fails unless {@code root.schema} is exactly {@link BenchResults#SCHEMA}. */
    static void checkSchema(Path file, String text, JsonNode root) {
        JsonNode s = root.get("schema");
        if (s == null) {
            throw new IllegalArgumentException(file + ": no key \"schema\" (expected \"" + BenchResults.SCHEMA
                    + "\"): not an ortune bench results file");
        }
        if (!s.isTextual() || !s.asText().equals(BenchResults.SCHEMA)) {
            throw new IllegalArgumentException(file + " line " + lineOf(text, "\"schema\"") + ": key \"schema\" is "
                    + s + ", this ortune reads \"" + BenchResults.SCHEMA + "\" only (re-run ortune bench with this"
                    + " version to get a compatible file)");
        }
    }

    /** The 1-based line of the first occurrence of {@code needle} in {@code text}, or 0. */
    static int lineOf(String text, String needle) {
        int at = text.indexOf(needle);
        if (at < 0) {
            return 0;
        }
        int line = 1;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
