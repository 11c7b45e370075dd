package io.ortune.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A stage's key: SHA-256 of (stage name, stage version, settings, every input's name and SHA-256). Two runs with the
 * same key compute the same outputs, so a finished stage whose key is unchanged is skipped, and a stage folder can be
 * shared between machines by its key.
 */
final class StageKey {

    private StageKey() {
    }

    static String of(Stage stage, List<FileHash> inputs) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("stage", stage.name().key());
        o.put("version", stage.version());
        o.set("settings", stage.settings());
        ArrayNode in = o.putArray("inputs");
        inputs.stream().sorted(java.util.Comparator.comparing(FileHash::name))
                .forEach(f -> in.addArray().add(f.name()).add(f.sha256()));
        try {
            return FileHash.sha256(StageManifest.JSON.writer().without(
                    com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(o));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stage key of " + stage.name().key() + ": " + e.getMessage(), e);
        }
    }
}
