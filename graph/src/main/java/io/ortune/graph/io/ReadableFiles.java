package io.ortune.graph.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Checks a path the user named before it is read, failing with the cause and the user's path: not found, permission
 * denied (on the file or on a folder above it), a directory where a file was expected (or the reverse), or not a
 * regular file (a FIFO, a device such as {@code /dev/zero}, a socket). Every message starts with the path and names
 * what the path was for ({@code what}, e.g. "training data file").
 *
 * <pre>{@code
 * ReadableFiles.file(data, "training data file");   // NoSuchFileException / AccessDeniedException / ...
 * ReadableFiles.folder(config, "model config folder");
 * }</pre>
 */
public final class ReadableFiles {

    private ReadableFiles() {
    }

    /** {@code p} is a regular file this process may read; returns it. */
    public static Path file(Path p, String what) throws IOException {
        BasicFileAttributes a = attributes(p, what);
        if (a.isDirectory()) {
            throw new FileSystemException(p.toString(), null, what + " is a directory, not a file");
        }
        if (!a.isRegularFile()) {
            throw new FileSystemException(p.toString(), null, what + " is not a regular file (" + kind(a)
                    + "); give a file");
        }
        if (!Files.isReadable(p)) {
            throw new AccessDeniedException(p.toString(), null, "cannot read the " + what + ": permission denied");
        }
        return p;
    }

    /** {@code p} is a folder whose entries this process may list and open; returns it. */
    public static Path folder(Path p, String what) throws IOException {
        BasicFileAttributes a = attributes(p, what);
        if (!a.isDirectory()) {
            throw new FileSystemException(p.toString(), null, what + " is " + (a.isRegularFile() ? "a file"
                    : "not a folder (" + kind(a) + ")") + ", expected a folder");
        }
        if (!Files.isReadable(p) || !Files.isExecutable(p)) {
            throw new AccessDeniedException(p.toString(), null, "cannot read the " + what + ": permission denied");
        }
        return p;
    }

    /**
     * The cause of a file-system failure in words, for messages: "permission denied", "not found", "is a
     * directory", "already exists", "is not a directory", "not empty", or the exception's own reason.
     */
    public static String cause(FileSystemException e) {
        if (e.getReason() != null && !e.getReason().isBlank()) {
            return e.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "not found";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return "is not a directory";
        }
        if (e instanceof java.nio.file.DirectoryNotEmptyException) {
            return "folder is not empty";
        }
        return e.getClass().getSimpleName();
    }

    private static BasicFileAttributes attributes(Path p, String what) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(p.toString(), null, "cannot read the " + what
                    + ": permission denied on a folder above it");
        } catch (NoSuchFileException e) {
            Path blocked = unsearchableAncestor(p);
            if (blocked != null) {
                throw new AccessDeniedException(p.toString(), null, "cannot read the " + what
                        + ": permission denied on the folder " + blocked);
            }
            throw new NoSuchFileException(p.toString(), null, what + " not found");
        } catch (FileSystemException e) {
            throw new FileSystemException(p.toString(), null, "cannot read the " + what + ": " + cause(e));
        }
    }

    /** The nearest existing folder above {@code p} that this process may not enter, or null. */
    private static Path unsearchableAncestor(Path p) {
        for (Path dir = p.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(dir)) {
                return Files.isExecutable(dir) ? null : dir;
            }
        }
        return null;
    }

    private static String kind(BasicFileAttributes a) {
        return a.isOther() ? "a FIFO, device or socket" : a.isSymbolicLink() ? "a broken link" : "not a file";
    }
}
