package io.ortune.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a stage made: named files or folders inside its stage folder, and a summary of figures for the report
 * (held-out accuracy, steps, seconds).
 *
 * @param files   name → path relative to the stage folder
 * @param summary figures and notes (JSON object)
 */
public record StageOutputs(Map<String, String> files, ObjectNode summary) {

    public StageOutputs {
        files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
        summary = summary == null ? JsonNodeFactory.instance.objectNode() : summary;
    }

    /** A builder-style start: no files, empty summary. */
    public static StageOutputs empty() {
        return new StageOutputs(Map.of(), null);
    }

    /** These outputs plus {@code name} → {@code path}. */
    public StageOutputs with(String name, String path) {
        Map<String, String> f = new LinkedHashMap<>(files);
        f.put(name, path);
        return new StageOutputs(f, summary);
    }
}
