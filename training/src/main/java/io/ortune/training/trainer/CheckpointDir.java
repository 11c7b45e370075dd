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

    /** @param keep how many checkpoints to keep, newest first (0 = all) */
    CheckpointDir(Path folder, int keep) {
        this.folder = folder;
        this.keep = keep;
    }

    Path folder() {
        return folder;
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

    /** The newest complete checkpoint folder, if any. */
    Optional<Path> latest() throws IOException {
        Path pointer = folder.resolve(LATEST);
        if (!Files.isRegularFile(pointer)) {
            return Optional.empty();
        }
        Path dir = folder.resolve(Files.readString(pointer, StandardCharsets.UTF_8).trim());
        if (!Files.isRegularFile(dir.resolve(CHECKPOINT)) || !Files.isRegularFile(dir.resolve(TrainerState.FILE))) {
            throw new IOException(pointer + " names " + dir + ", which is not a complete checkpoint");
        }
        return Optional.of(dir);
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
            if (!names.get(i).equals(newest)) {
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
