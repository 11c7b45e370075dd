package io.ortune.graph.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each reason a path cannot be read is named, with the user's path first. */
class ReadableFilesTest {

    @TempDir
    Path dir;

    @Test
    void missingFile() {
        Path p = dir.resolve("nope.jsonl");
        assertThatThrownBy(() -> ReadableFiles.file(p, "training data file"))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessage(p + ": training data file not found");
    }

    @Test
    void folderWhereAFileIsExpected() {
        assertThatThrownBy(() -> ReadableFiles.file(dir, "training data file"))
                .isExactlyInstanceOf(FileSystemException.class)
                .hasMessage(dir + ": training data file is a directory, not a file");
    }

    @Test
    void fileWhereAFolderIsExpected() throws IOException {
        Path f = Files.writeString(dir.resolve("config.json"), "{}");
        assertThatThrownBy(() -> ReadableFiles.folder(f, "model config folder"))
                .hasMessage(f + ": model config folder is a file, expected a folder");
        assertThat(ReadableFiles.folder(dir, "x")).isEqualTo(dir);
        assertThat(ReadableFiles.file(f, "x")).isEqualTo(f);
    }

    @Test
    void deviceIsNotARegularFile() {
        Path zero = Path.of("/dev/zero");
        Assumptions.assumeTrue(Files.exists(zero), "no /dev/zero on this system");
        assertThatThrownBy(() -> ReadableFiles.file(zero, "training data file"))
                .hasMessage("/dev/zero: training data file is not a regular file (a FIFO, device or socket); give a file");
    }

    @Test
    void fifoIsNotARegularFile() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            Assumptions.abort("mkfifo not available: " + e.getMessage());
            return;
        }
        Assumptions.assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo failed");
        assertThatThrownBy(() -> ReadableFiles.file(fifo, "training data file"))
                .hasMessageContaining(fifo + ": training data file is not a regular file");
    }

    @Test
    void unreadableFileAndFolder() throws IOException {
        Path f = Files.writeString(dir.resolve("data.txt"), "x");
        Path sub = Files.createDirectory(dir.resolve("cfg"));
        Path inner = Files.writeString(sub.resolve("config.json"), "{}");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("---------"));
        try {
            Assumptions.assumeFalse(Files.isReadable(f), "running as root: file permissions are not enforced");
            assertThatThrownBy(() -> ReadableFiles.file(f, "training data file"))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessage(f + ": cannot read the training data file: permission denied");
            assertThatThrownBy(() -> ReadableFiles.folder(sub, "model config folder"))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessage(sub + ": cannot read the model config folder: permission denied");
            assertThatThrownBy(() -> ReadableFiles.file(inner, "model config"))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageStartingWith(inner + ": cannot read the model config: permission denied");
        } finally {
            Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void causeOfABareFileSystemException() {
        assertThat(ReadableFiles.cause(new AccessDeniedException("/ro/run"))).isEqualTo("permission denied");
        assertThat(ReadableFiles.cause(new NoSuchFileException("/x"))).isEqualTo("not found");
        assertThat(ReadableFiles.cause(new java.nio.file.FileAlreadyExistsException("/x"))).isEqualTo("already exists");
        assertThat(ReadableFiles.cause(new FileSystemException("/x", null, "disk full"))).isEqualTo("disk full");
    }
}
