package io.ortune.graph.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one write-then-rename discipline of ortune: nothing is written in place.
 *
 * <p>{@link #write(Path, ChannelWriter)} creates a hidden temporary file {@code .<name>.<random>.tmp} in the
 * target's folder (unique across threads and processes: it is created with {@code CREATE_NEW}), lets the caller
 * fill it, forces it to disk, renames it over the target (atomically where the file system can) and forces the
 * folder where the platform allows. On any failure the temporary file is removed and an existing target is left as
 * it was. The final file has the permissions a plain {@link Files#write} of a new file gets under the user's umask
 * (not the owner-only ones of {@link Files#createTempFile}).
 *
 * <p>Failures of the file operations name the caller's target, never the temporary file, and say why: permission
 * denied, the target is a directory, its folder does not exist. Exceptions thrown by the caller's writer pass
 * through unchanged. Parent folders are not created: callers that want them call
 * {@link Files#createDirectories} first.
 *
 * <p>Writes of several files that must appear together (a model and its external data) use the building blocks
 * {@link #createTemp}, {@link #force}, {@link #move}, {@link #syncFolder} and {@link #deleteQuietly}.
 *
 * <pre>{@code
 * AtomicFiles.writeString(run.resolve("config.json"), json);
 * AtomicFiles.write(target, ch -> tensor.data().writeTo(ch));
 * }</pre>
 */
public final class AtomicFiles {

    /** Fills the temporary file through an open channel (positioned at 0). */
    @FunctionalInterface
    public interface ChannelWriter {
        void write(FileChannel channel) throws IOException;
    }

    /** Fills the temporary file by its path (for libraries that open files themselves, e.g. ONNX Runtime). */
    @FunctionalInterface
    public interface PathWriter {
        void write(Path temp) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code target} through {@code writer}, atomically. */
    public static void write(Path target, ChannelWriter writer) throws IOException {
        writeVia(target, temp -> {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                writer.write(ch);
            }
        });
    }

    /** Writes {@code content} to {@code target}, atomically. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, ch -> writeFully(ch, ByteBuffer.wrap(content)));
    }

    /** Writes {@code text} as UTF-8 to {@code target}, atomically. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Lets {@code writer} fill a reserved temporary file by path, then forces it, gives it the default permissions
     * (whatever mode the writer's library chose) and renames it over {@code target}.
     */
    public static void writeVia(Path target, PathWriter writer) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path temp = createTemp(abs);
        boolean committed = false;
        Throwable failure = null;
        try {
            Set<PosixFilePermission> defaults = permissions(temp);
            writer.write(temp);
            setPermissions(temp, defaults);
            force(temp, abs);
            move(temp, abs);
            committed = true;
            syncFolder(abs.getParent());
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            if (!committed) {
                deleteQuietly(temp, failure);
            }
        }
    }

    /** An empty, uniquely named hidden temporary file beside {@code target}, with default permissions. */
    public static Path createTemp(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw new FileSystemException(abs.toString(), null, "cannot write it: it is a directory");
        }
        Path folder = abs.getParent();
        String name = abs.getFileName().toString();
        for (int attempt = 0; ; attempt++) {
            Path p = folder.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".tmp");
            try {
                Files.newByteChannel(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return p;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw explain(abs, e);
                }
            } catch (IOException e) {
                throw explain(abs, e);
            }
        }
    }

    /** Forces {@code file}'s content to disk; a failure names {@code target}. */
    public static void force(Path file, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw explain(target, e);
        }
    }

    /**
     * Renames {@code source} over {@code target}, atomically where the file system can (replacing a file, or a
     * folder with an empty one); a failure names {@code target}.
     */
    public static void move(Path source, Path target) throws IOException {
        try {
            try {
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw Files.isDirectory(source) ? explainFolderMove(target, e) : explain(target, e);
        }
    }

    private static IOException explainFolderMove(Path target, IOException e) {
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.toString();
        IOException out = new FileSystemException(target.toString(), null, "cannot move a folder there: " + reason);
        out.initCause(e);
        return out;
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

    /** Writes all of {@code b} to {@code ch}. */
    public static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /**
     * The POSIX permissions of {@code file}, or null where the file system has none. Read them from a fresh
     * {@link #createTemp} file to learn the default ones, before a library overwrites it with its own mode.
     */
    public static Set<PosixFilePermission> permissions(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        return view == null ? null : view.readAttributes().permissions();
    }

    /** Gives {@code file} the permissions {@code perms} (from {@link #permissions}); nothing when null or absent. */
    public static void setPermissions(Path file, Set<PosixFilePermission> perms) throws IOException {
        if (perms != null && Files.exists(file)) {
            Files.setPosixFilePermissions(file, perms);
        }
    }

    /** The same failure told about {@code target}: what the user asked for, never a temporary name. */
    static IOException explain(Path target, IOException e) {
        Path parent = target.toAbsolutePath().getParent();
        String file = target.toString();
        if (Files.isDirectory(target)) {
            return new FileSystemException(file, null, "cannot write it: it is a directory");
        }
        if (parent != null && !Files.isDirectory(parent)) {
            return new NoSuchFileException(file, null, "cannot write it: its folder " + parent + " does not exist");
        }
        if (e instanceof AccessDeniedException) {
            return new AccessDeniedException(file, null, "cannot write it: permission denied in " + parent);
        }
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.toString();
        IOException out = new FileSystemException(file, null, "cannot write it: " + reason);
        out.initCause(e);
        return out;
    }
}
