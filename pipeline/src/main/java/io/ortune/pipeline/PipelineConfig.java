package io.ortune.pipeline;

import io.ortune.graph.io.ReadableFiles;
import io.ortune.pipeline.config.PipelineFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed and checked {@code pipeline.yaml}: which stages run, with what settings. Relative paths in the file
 * resolve against {@link #baseDir()} (the file's folder; for a bundled config, the project root). Loading rejects
 * an unknown key, a missing file, a value out of range or a stage that cannot follow the ones before it, with a
 * {@link ConfigException} naming each key and line — before any work.
 */
public final class PipelineConfig {

    /** The resource folder of the bundled configs. */
    static final String BUNDLED = "/pipelines/";

    private final String source;
    private final Path baseDir;
    private final PipelineFile file;
    private final KeyLocations locations;
    private final Set<StageName> stages;

    PipelineConfig(String source, Path baseDir, PipelineFile file, KeyLocations locations, Set<StageName> stages) {
        this.source = source;
        this.baseDir = baseDir.toAbsolutePath().normalize();
        this.file = file;
        this.locations = locations;
        this.stages = stages.isEmpty() ? EnumSet.noneOf(StageName.class) : EnumSet.copyOf(stages);
    }

    /** Reads and checks {@code yaml}; relative paths resolve against its folder. */
    public static PipelineConfig load(Path yaml) throws IOException {
        ReadableFiles.file(yaml, "pipeline config");
        Path dir = yaml.toAbsolutePath().normalize().getParent();
        return parse(Files.readString(yaml, StandardCharsets.UTF_8), yaml.toString(), dir);
    }

    /** Parses and checks {@code text} (named {@code source} in messages). */
    public static PipelineConfig parse(String text, String source, Path baseDir) {
        return ConfigReader.read(text, source, baseDir);
    }

    /**
     * A bundled config ({@code minilm-reward}, {@code stories260k-decoder}); its paths resolve against
     * {@code projectRoot} (the folder holding {@code testdata/}).
     */
    public static PipelineConfig bundled(String name, Path projectRoot) throws IOException {
        try (InputStream in = PipelineConfig.class.getResourceAsStream(BUNDLED + name + ".yaml")) {
            if (in == null) {
                throw new IllegalArgumentException("no bundled pipeline '" + name + "'; bundled: "
                        + String.join(", ", Pipeline.BUNDLED));
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "bundled pipeline " + name,
                    projectRoot);
        }
    }

    public String source() {
        return source;
    }

    public Path baseDir() {
        return baseDir;
    }

    /** The file's values as given (null = not given). */
    public PipelineFile file() {
        return file;
    }

    /** The stages the file enables, in run order. */
    public List<StageName> stages() {
        return new ArrayList<>(stages);
    }

    public boolean has(StageName stage) {
        return stages.contains(stage);
    }

    /** The same pipeline ending at {@code last} (the stages after it dropped). */
    public PipelineConfig upTo(StageName last) {
        Objects.requireNonNull(last, "last");
        if (!stages.contains(last)) {
            throw new IllegalArgumentException(source + " has no '" + last.key() + "' stage; its stages are "
                    + stages.stream().map(StageName::key).toList());
        }
        Set<StageName> kept = EnumSet.noneOf(StageName.class);
        stages.stream().filter(s -> s.compareTo(last) <= 0).forEach(kept::add);
        return new PipelineConfig(source, baseDir, file, locations, kept);
    }

    /** {@code path} from the file, resolved against {@link #baseDir()}. */
    public Path resolve(String path) {
        return baseDir.resolve(path).normalize();
    }

    /** The 1-based line of {@code key} (or its nearest enclosing key), or 0 when unknown. */
    int line(String key) {
        KeyLocations.Location l = locations.find(key);
        return l == null ? 0 : l.line();
    }

    /** {@code line L, column C} of {@code key} (or its nearest enclosing key), or empty. */
    String where(String key) {
        return locations.where(key);
    }
}
