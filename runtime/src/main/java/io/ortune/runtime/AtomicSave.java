package io.ortune.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/** Writes a file that ONNX Runtime produces to a temporary sibling first and renames it into place. */
final class AtomicSave {

    private AtomicSave() {
    }

    /** Lets {@code write} produce the temporary file it is given, then moves it to {@code file}. */
    static void write(Path file, Consumer<Path> write) {
        Path target = file.toAbsolutePath();
        Path temp = target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            write.accept(temp);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + temp + " to " + target, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** Deletes a leftover temporary file; only fails silently because the real error is already on its way. */
    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the temporary file stays behind; the caller's own outcome matters more
        }
    }
}
