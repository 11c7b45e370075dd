package io.ortune.training.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The decision a fresh (not resumed) run makes about its folder, so that a run which failed before its first
 * checkpoint (a NaN at step 3, a vocabulary mismatch, Ctrl-C) never leaves a folder that neither a fresh run nor a
 * resume accepts:
 * <ul>
 *   <li>no folder, or one without any run file: {@link Start#NEW};</li>
 *   <li>run files but no checkpoint: they are removed and the folder reused ({@link Start#REUSED});</li>
 *   <li>a checkpoint: refused (continue it with a resume), unless {@code overwrite}, which removes the run's files
 *       ({@link Start#OVERWRITTEN}).</li>
 * </ul>
 * Only the files a run writes are removed ({@link #RUN_FILES}); anything else the user keeps there stays.
 */
public final class RunFolder {

    /** What {@link #prepareFresh} did. */
    public enum Start {
        /** Nothing of a run was there. */
        NEW,
        /** A run that never saved a checkpoint was there; its files were removed. */
        REUSED,
        /** A run with checkpoints was there and was removed on request. */
        OVERWRITTEN
    }

    /** The entries of a run folder that a run writes (folders and files). */
    public static final List<String> RUN_FILES = List.of(Trainer.ARTIFACTS, Trainer.CHECKPOINTS, Trainer.BEST,
            Trainer.METRICS, Trainer.EVALS, Trainer.MODEL, Trainer.MODEL + ".data");

    private RunFolder() {
    }

    /**
     * Makes {@code run} ready for a fresh run.
     *
     * @throws IllegalArgumentException when it holds a checkpoint and {@code overwrite} is false
     */
    public static Start prepareFresh(Path run, boolean overwrite) throws IOException {
        if (!Files.isDirectory(run) || RUN_FILES.stream().noneMatch(f -> Files.exists(run.resolve(f)))) {
            return Start.NEW;
        }
        Optional<Long> step = newestCheckpointStep(run.resolve(Trainer.CHECKPOINTS));
        if (step.isPresent() && !overwrite) {
            throw new IllegalArgumentException(run + " already holds a training run (checkpoint at step " + step.get()
                    + "); continue it with --resume " + run + ", start it again with --overwrite, or choose another "
                    + "--out");
        }
        for (String f : RUN_FILES) {
            deleteTree(run.resolve(f));
        }
        return step.isPresent() ? Start.OVERWRITTEN : Start.REUSED;
    }

    private static Optional<Long> newestCheckpointStep(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return Optional.empty();
        }
        try (var list = Files.list(checkpoints)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d+"))
                    .map(n -> Long.parseLong(n.substring(5))).max(Comparator.naturalOrder());
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
