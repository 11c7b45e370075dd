package io.ortune.pipeline.stage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A config section as the JSON a stage key hashes: kebab-case keys as in the YAML file, unset values left out. */
final class StageSettings {

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private StageSettings() {
    }

    /** {@code section} as JSON, under {@code "section"}, with the pipeline-wide {@code threads} and {@code seed}. */
    static ObjectNode of(Object section, int threads, long seed) {
        ObjectNode o = JSON.createObjectNode();
        o.set("section", JSON.valueToTree(section));
        o.put("threads", threads);
        o.put("seed", seed);
        return o;
    }
}
