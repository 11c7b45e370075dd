package io.ortune.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.io.ReadableFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code stages/NN-name/manifest.json}: the record of one finished stage, written last and atomically, so that a
 * folder with a manifest is a complete stage and one without is not. Its {@code key} is the hash of everything the
 * stage's outputs depend on ({@link StageKey}); a rerun whose key is unchanged skips the stage.
 *
 * @param stage        the stage's key ({@code train})
 * @param index        1-based position among the pipeline's stages
 * @param stageVersion version of the stage's code ({@link Stage#version()})
 * @param key          the stage key (hex SHA-256)
 * @param inputs       every file it read: earlier stages' outputs and files named in the config
 * @param settings     its section of the config, as given, plus the pipeline-wide settings it uses
 * @param versions     ortune, onnxruntime, java
 * @param started      ISO-8601 instant
 * @param ended        ISO-8601 instant
 * @param seconds      wall time
 * @param resumed      it continued an interrupted run
 * @param outputs      every file it wrote, relative to its folder
 * @param summary      its figures
 */
public record StageManifest(String stage, int index, int stageVersion, String key, List<FileHash> inputs,
                            JsonNode settings, Map<String, String> versions, String started, String ended,
                            double seconds, boolean resumed, List<FileHash> outputs, JsonNode summary) {

    /** The file name in each stage folder. */
    public static final String FILE = "manifest.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public StageManifest {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        versions = Map.copyOf(versions);
    }

    void write(Path stageDir) throws IOException {
        AtomicFiles.writeString(stageDir.resolve(FILE), JSON.writeValueAsString(this) + "\n");
    }

    /** The manifest in {@code stageDir}, or empty when there is none or it cannot be read (an unfinished stage). */
    static Optional<StageManifest> read(Path stageDir) {
        Path f = stageDir.resolve(FILE);
        try {
            ReadableFiles.file(f, "stage manifest");
            return Optional.of(JSON.readValue(f.toFile(), StageManifest.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The output file or folder called {@code name}, as a path under {@code stageDir}. */
    public Optional<Path> output(Path stageDir, String name) {
        for (FileHash o : outputs) {
            if (o.name().equals(name)) {
                return Optional.of(stageDir.resolve(o.path()));
            }
            if (o.name().startsWith(name + "/")) {
                String rest = o.name().substring(name.length());
                return Optional.of(stageDir.resolve(o.path().substring(0, o.path().length() - rest.length())));
            }
        }
        return Optional.empty();
    }
}
