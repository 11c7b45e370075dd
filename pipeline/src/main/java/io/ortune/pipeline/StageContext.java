package io.ortune.pipeline;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a running stage gets.
 *
 * @param stage    which stage
 * @param dir      its folder (created, empty unless resuming)
 * @param config   the pipeline's config
 * @param earlier  manifests of the stages before it, with their folders
 * @param resume   continue an interrupted run in {@code dir}
 * @param progress where per-stage progress lines go
 */
public record StageContext(StageName stage, Path dir, PipelineConfig config, Map<StageName, Done> earlier,
                           boolean resume, Consumer<String> progress) {

    /** A finished earlier stage. */
    public record Done(StageManifest manifest, Path dir) {
    }

    public StageContext {
        earlier = Map.copyOf(earlier);
    }

    /** Output {@code name} of the earlier stage {@code from}. */
    public Path output(StageName from, String name) {
        Done d = earlier.get(from);
        if (d == null) {
            throw new IllegalStateException("stage '" + stage.key() + "' needs the '" + from.key() + "' stage, which "
                    + "did not run before it");
        }
        return d.manifest().output(d.dir(), name).orElseThrow(() -> new IllegalStateException("stage '"
                + from.key() + "' wrote no output '" + name + "' (see " + d.dir().resolve(StageManifest.FILE) + ")"));
    }

    /** Output {@code name} of the earlier stage {@code from}, if it ran and wrote one. */
    public Optional<Path> optionalOutput(StageName from, String name) {
        Done d = earlier.get(from);
        return d == null ? Optional.empty() : d.manifest().output(d.dir(), name);
    }

    /** The summary figure {@code field} of an earlier stage, if any. */
    public Optional<com.fasterxml.jackson.databind.JsonNode> summary(StageName from, String field) {
        Done d = earlier.get(from);
        return d == null || d.manifest().summary() == null ? Optional.empty()
                : Optional.ofNullable(d.manifest().summary().get(field));
    }
}
