package io.ortune.graph.onnx;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The write-then-rename discipline: temporary files beside their target (so the rename stays on one file
 * system), atomic replacement, and cleanup that never masks the original failure. Public so that every module
 * writing companion files (adapter folders, manifests) follows the same discipline.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * Creates an empty hidden temporary file {@code .<name>.<random>.tmp} in {@code folder}, with the default
     * permissions a new file gets (not the owner-only ones of {@link Files#createTempFile}).
     */
    public static Path createTemp(Path folder, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = folder.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".tmp");
            try {
                Files.newByteChannel(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return p;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    /** Renames {@code temp} over {@code target}, atomically where the file system can. */
    public static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the renames in {@code folder} durable where the platform allows syncing a directory. */
    public static void syncFolder(Path folder) {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not supported everywhere (Windows); the data itself was already forced.
        }
    }

    /** Deletes a temporary file; a failure to delete is added to {@code primary} instead of replacing it. */
    public static void deleteQuietly(Path p, Throwable primary) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            }
        }
    }
}
