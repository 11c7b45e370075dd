package io.ortune.training.trainer;

import io.ortune.graph.io.AtomicFiles;
import io.ortune.runtime.CheckpointProperty;
import io.ortune.runtime.CheckpointState;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A folder of checkpoints, one sub-folder per step ({@code step-000120/} holding ONNX Runtime's {@value #CHECKPOINT}
 * with parameters, optimizer moments and step, and {@link TrainerState#FILE}), and a {@value #LATEST} file naming
 * the newest complete one.
 *
 * <p>A checkpoint is written into a hidden temporary folder, renamed into place (an atomic rename), and only then
 * named in {@value #LATEST} (rewritten atomically). A crash at any moment leaves the previous checkpoint complete
 * and {@value #LATEST} pointing at it. Older checkpoints beyond {@code keep} are deleted after that.
 */
final class CheckpointDir {

    static final String CHECKPOINT = "checkpoint";
    static final String LATEST = "latest";

    private final Path folder;
    private final int keep;
    private String pinned;

    /** @param keep how many checkpoints to keep, newest first (0 = all) */
    CheckpointDir(Path folder, int keep) {
        this.folder = folder;
        this.keep = keep;
    }

    Path folder() {
        return folder;
    }

    /**
     * Keeps {@code checkpoint} (a folder of this directory) out of the rotation until another one is pinned, e.g.
     * the last checkpoint before a divergence; {@code null} unpins.
     */
    void pin(Path checkpoint) {
        pinned = checkpoint == null ? null : checkpoint.getFileName().toString();
    }

    /** Saves the state as step {@code ts.step()}; returns its folder. */
    Path save(CheckpointState state, TrainerState ts) throws IOException {
        Files.createDirectories(folder);
        String name = String.format(Locale.ROOT, "step-%06d", ts.step());
        Path target = folder.resolve(name);
        Path temp = folder.resolve("." + name + ".tmp");
        deleteTree(temp);
        Files.createDirectories(temp);
        state.setProperty(TrainerState.PROPERTY, CheckpointProperty.of(ts.toJson()));
        state.save(temp.resolve(CHECKPOINT), true);
        ts.write(temp);
        deleteTree(target);
        AtomicFiles.move(temp, target);
        AtomicFiles.writeString(folder.resolve(LATEST), name + "\n");
        prune(name);
        return target;
    }

    /** The newest valid checkpoint folder, if any (a fallback from a damaged latest one is not reported). */
    Optional<Path> latest() throws IOException {
        return latest(message -> { });
    }

    /**
     * The checkpoint {@value #LATEST} names when it is valid; otherwise (the pointer or that checkpoint damaged or
     * missing) the newest valid {@code step-*} folder, telling {@code notice} which one was passed over and why.
     * Valid: both files present and the trainer state readable.
     */
    Optional<Path> latest(java.util.function.Consumer<String> notice) throws IOException {
        Path pointer = folder.resolve(LATEST);
        String damaged = null;
        if (Files.isRegularFile(pointer)) {
            Path dir = folder.resolve(Files.readString(pointer, StandardCharsets.UTF_8).trim());
            String problem = problem(dir);
            if (problem == null) {
                return Optional.of(dir);
            }
            damaged = dir + " (named by " + pointer + ") " + problem;
        } else if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        try (var list = Files.list(folder)) {
            list.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d+")).sorted()
                    .forEach(names::add);
        }
        for (int i = names.size() - 1; i >= 0; i--) {
            Path dir = folder.resolve(names.get(i));
            String problem = problem(dir);
            if (problem == null) {
                if (damaged != null) {
                    notice.accept("the latest checkpoint " + damaged + "; using the newest valid one, " + dir);
                }
                return Optional.of(dir);
            }
            if (damaged == null) {
                damaged = dir + " " + problem;
            }
        }
        if (damaged != null) {
            throw new IOException("no valid checkpoint in " + folder + ": " + damaged);
        }
        return Optional.empty();
    }

    /** Why {@code dir} is not a valid checkpoint, or null when it is. */
    static String problem(Path dir) {
        if (!Files.isRegularFile(dir.resolve(CHECKPOINT))) {
            return "has no " + CHECKPOINT + " file";
        }
        try {
            TrainerState.read(dir);
            return null;
        } catch (IOException | IllegalArgumentException e) {
            return "has an unreadable " + TrainerState.FILE + " (" + e.getMessage() + ")";
        }
    }

    private void prune(String newest) throws IOException {
        if (keep == 0) {
            return;
        }
        List<String> names = new ArrayList<>();
        try (var list = Files.list(folder)) {
            list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("step-")).sorted().forEach(names::add);
        }
        for (int i = 0; i < names.size() - keep; i++) {
            if (!names.get(i).equals(newest) && !names.get(i).equals(pinned)) {
                deleteTree(folder.resolve(names.get(i)));
            }
        }
    }

    /** Deletes a folder and everything in it (no-op when absent). */
    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
