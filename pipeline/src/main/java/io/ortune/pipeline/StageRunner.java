package io.ortune.pipeline;

import io.ortune.graph.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One run of a pipeline: per stage, skip (unchanged), resume (interrupted) or run; then write its manifest. */
final class StageRunner {

    /** Written when a stage starts, removed when its manifest is written: the key an interrupted run had. */
    static final String PENDING = "pending.key";

    private final PipelineConfig config;
    private final Path dir;
    private final Pipeline.Options options;
    private final PipelineListener listener;

    StageRunner(PipelineConfig config, Path dir, Pipeline.Options options, PipelineListener listener) {
        this.config = options.to() == null ? config : config.upTo(options.to());
        this.dir = dir.toAbsolutePath().normalize();
        this.options = options;
        this.listener = listener;
        if (options.from() != null && !this.config.has(options.from())) {
            throw new IllegalArgumentException("--from " + options.from().key() + ": the pipeline has no such stage "
                    + "(its stages: " + this.config.stages().stream().map(StageName::key).toList() + ")");
        }
    }

    Pipeline.Result run() {
        long t0 = System.nanoTime();
        List<Stage> stages = Stages.create(config);
        Map<StageName, StageContext.Done> done = new LinkedHashMap<>();
        List<Pipeline.Planned> plan = new ArrayList<>();
        boolean rerun = false;
        int total = stages.size();
        for (int i = 0; i < total; i++) {
            Stage stage = stages.get(i);
            Path sdir = dir.resolve(Pipeline.STAGES).resolve(stage.name().folder());
            rerun |= stage.name() == options.from();
            if (options.dryRun() && rerun) {
                plan.add(new Pipeline.Planned(stage.name(), Pipeline.Action.RUN, stage.name() == options.from()
                        ? "--from " + stage.name().key() : "an earlier stage runs"));
                continue;
            }
            List<FileHash> inputs = hashInputs(stage, done);
            String key = StageKey.of(stage, inputs);
            Optional<StageManifest> existing = StageManifest.read(sdir);
            String why = reason(existing, key, sdir);
            if (!rerun && why == null) {
                plan.add(new Pipeline.Planned(stage.name(), Pipeline.Action.SKIP, "unchanged"));
                done.put(stage.name(), new StageContext.Done(existing.orElseThrow(), sdir));
                listener.onStageSkipped(stage.name(), i + 1, total, existing.orElseThrow());
                continue;
            }
            if (rerun && why == null) {
                why = stage.name() == options.from() ? "--from " + stage.name().key() : "an earlier stage ran";
            }
            rerun = true;
            boolean resume = stage.name() != options.from() && stage.resumable() && key.equals(pending(sdir))
                    && stage.canResume(sdir);
            plan.add(new Pipeline.Planned(stage.name(), resume ? Pipeline.Action.RESUME : Pipeline.Action.RUN,
                    resume ? "interrupted run with the same key, from its checkpoint" : why));
            if (options.dryRun()) {
                continue;
            }
            StageManifest m = runStage(stage, i + 1, total, sdir, inputs, key, resume, why, done);
            done.put(stage.name(), new StageContext.Done(m, sdir));
        }
        List<StageManifest> manifests = options.dryRun() ? List.of()
                : done.values().stream().map(StageContext.Done::manifest).toList();
        return new Pipeline.Result(dir, plan, manifests, (System.nanoTime() - t0) / 1e9);
    }

    private StageManifest runStage(Stage stage, int n, int total, Path sdir, List<FileHash> inputs, String key,
                                   boolean resume, String why, Map<StageName, StageContext.Done> done) {
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        try {
            if (!resume) {
                deleteTree(sdir);
            }
            Files.createDirectories(sdir);
            Files.deleteIfExists(sdir.resolve(StageManifest.FILE));
            AtomicFiles.writeString(sdir.resolve(PENDING), key + "\n");
            listener.onStageStart(stage.name(), n, total, resume, why);
            StageOutputs out = stage.run(new StageContext(stage.name(), sdir, config, done, resume,
                    line -> listener.onProgress(stage.name(), line)));
            List<FileHash> outputs = new ArrayList<>();
            for (Map.Entry<String, String> e : out.files().entrySet()) {
                Path p = sdir.resolve(e.getValue()).normalize();
                if (!p.startsWith(sdir) || !Files.exists(p)) {
                    throw new IllegalStateException("output '" + e.getKey() + "' (" + e.getValue() + ") is not a "
                            + "file the stage wrote in " + sdir);
                }
                outputs.addAll(FileHash.of(e.getKey(), p, e.getValue()));
            }
            StageManifest m = new StageManifest(stage.name().key(), n, stage.version(), key, inputs,
                    stage.settings(), Versions.current(), start.toString(), Instant.now().toString(),
                    (System.nanoTime() - t0) / 1e9, resume, outputs, out.summary());
            m.write(sdir);
            Files.deleteIfExists(sdir.resolve(PENDING));
            listener.onStageDone(stage.name(), n, total, m);
            return m;
        } catch (PipelineException e) {
            throw e;
        } catch (Exception | Error e) {
            String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new PipelineException(stage.name(), "stage '" + stage.name().key() + "' (" + n + "/" + total
                    + ") failed: " + cause + (n > 1 ? " — the " + (n - 1) + " stage(s) before it are intact in "
                    + dir.resolve(Pipeline.STAGES) : "") + (stage.resumable() ? "; a rerun resumes it from its "
                    + "newest checkpoint" : "; a rerun starts it again"), e);
        }
    }

    /** Null when {@code existing} is a finished stage with {@code key} and intact outputs; else why not. */
    private static String reason(Optional<StageManifest> existing, String key, Path sdir) {
        if (existing.isEmpty()) {
            return Files.exists(sdir.resolve(PENDING)) ? "unfinished" : "not run before";
        }
        StageManifest m = existing.get();
        if (!m.key().equals(key)) {
            return "inputs or settings changed";
        }
        for (FileHash f : m.outputs()) {
            Path p = sdir.resolve(f.path());
            try {
                if (!Files.isRegularFile(p) || Files.size(p) != f.bytes() || !FileHash.sha256(p).equals(f.sha256())) {
                    return "output " + f.path() + " changed or missing";
                }
            } catch (IOException e) {
                return "output " + f.path() + " unreadable";
            }
        }
        return null;
    }

    private List<FileHash> hashInputs(Stage stage, Map<StageName, StageContext.Done> done) {
        List<FileHash> inputs = new ArrayList<>();
        try {
            for (Stage.Input in : stage.inputs()) {
                inputs.addAll(FileHash.of(in.name(), in.path(), in.path().toString()));
            }
        } catch (IOException e) {
            throw new PipelineException(stage.name(), "stage '" + stage.name().key() + "': cannot read its input: "
                    + e.getMessage(), e);
        }
        for (StageContext.Done d : done.values()) {
            for (FileHash f : d.manifest().outputs()) {
                inputs.add(new FileHash(d.manifest().stage() + "/" + f.name(), d.dir().resolve(f.path()).toString(),
                        f.sha256(), f.bytes()));
            }
        }
        return inputs;
    }

    private static String pending(Path sdir) {
        try {
            Path p = sdir.resolve(PENDING);
            return Files.isRegularFile(p) ? Files.readString(p).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
