package io.ortune.pipeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The pipeline's stages in the order they run; each is also its section's key in {@code pipeline.yaml}. */
public enum StageName {
    BASE, INJECT, TRAIN, EVALUATE, MERGE, QUANTIZE, COMPILE, BENCH, REPORT;

    /** The YAML key and folder name: {@code base}, {@code inject}, ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The stage called {@code key}. */
    public static StageName parse(String key) {
        for (StageName s : values()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no stage '" + key + "'; the stages are " + Arrays.stream(values())
                .map(StageName::key).collect(Collectors.joining(", ")));
    }

    /** The stage's folder under {@code PIPELINE_DIR/stages/}: {@code 03-train}. */
    public String folder() {
        return String.format(Locale.ROOT, "%02d-%s", ordinal() + 1, key());
    }
}
