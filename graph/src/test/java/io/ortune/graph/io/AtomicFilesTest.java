package io.ortune.graph.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    /** What a plain {@code Files.write} of a new file gets in this folder under the current umask. */
    private Set<PosixFilePermission> plainWritePermissions() throws IOException {
        Path plain = dir.resolve("plain-reference");
        Files.writeString(plain, "x");
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(plain);
        Files.delete(plain);
        return p;
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void writesContentAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("config.json");
        AtomicFiles.writeString(target, "{\"a\": 1}");
        AtomicFiles.writeString(target, "{\"a\": 2}");
        assertThat(Files.readString(target)).isEqualTo("{\"a\": 2}");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void finalFileHasThePermissionsOfAPlainWriteNotOwnerOnly() throws IOException {
        assumeTrue(Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class) != null,
                "needs a POSIX file system");
        Set<PosixFilePermission> expected = plainWritePermissions();
        Path target = dir.resolve("metrics.jsonl");
        AtomicFiles.writeString(target, "{}\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo(PosixFilePermissions.toString(expected));
        Path bytes = dir.resolve("model.bin");
        AtomicFiles.write(bytes, new byte[] {1, 2, 3});
        assertThat(Files.getPosixFilePermissions(bytes)).isEqualTo(expected);
    }

    @Test
    void pathWriterThatChoosesOwnerOnlyModeStillEndsWithDefaultPermissions() throws IOException {
        assumeTrue(Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class) != null,
                "needs a POSIX file system");
        Set<PosixFilePermission> expected = plainWritePermissions();
        Path target = dir.resolve("inference.onnx");
        AtomicFiles.writeVia(target, temp -> {
            Files.writeString(temp, "model");
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        });
        assertThat(Files.readString(target)).isEqualTo("model");
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(expected);
    }

    @Test
    void writerFailureRemovesTheTemporaryFileAndKeepsTheOldTarget() throws IOException {
        Path target = dir.resolve("state.json");
        Files.writeString(target, "old");
        IOException boom = new IOException("encoder failed");
        assertThatThrownBy(() -> AtomicFiles.write(target, ch -> {
            ch.write(java.nio.ByteBuffer.wrap("half".getBytes(StandardCharsets.UTF_8)));
            throw boom;
        })).isSameAs(boom);
        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void runtimeFailureInTheWriterAlsoCleansUp() throws IOException {
        Path target = dir.resolve("x.bin");
        assertThatThrownBy(() -> AtomicFiles.writeVia(target, temp -> {
            throw new IllegalStateException("native call failed");
        })).isInstanceOf(IllegalStateException.class).hasMessage("native call failed");
        assertThat(Files.exists(target)).isFalse();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void targetThatIsADirectoryIsNamedInTheError() throws IOException {
        Path target = Files.createDirectory(dir.resolve("latest"));
        assertThatThrownBy(() -> AtomicFiles.writeString(target, "step-1"))
                .isInstanceOf(FileSystemException.class)
                .hasMessage(target + ": cannot write it: it is a directory");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void missingParentIsNamedInTheError() {
        Path target = dir.resolve("no-such-folder").resolve("config.json");
        assertThatThrownBy(() -> AtomicFiles.writeString(target, "{}"))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessage(target + ": cannot write it: its folder " + target.getParent() + " does not exist")
                .hasMessageNotContaining(".tmp");
    }

    @Test
    void permissionDeniedNamesTheTargetNotTheTemporaryFile() throws IOException {
        assumeTrue(Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class) != null,
                "needs a POSIX file system");
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(!Files.isWritable(locked), "running as a user (root) that may write a read-only folder");
            Path target = locked.resolve("model.onnx");
            assertThatThrownBy(() -> AtomicFiles.writeString(target, "m"))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessage(target + ": cannot write it: permission denied in " + locked);
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void temporaryNamesDoNotCollideAcrossThreads() throws Exception {
        int threads = 8;
        int rounds = 50;
        Path target = dir.resolve("shared.txt");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String text = ("thread " + t + " ").repeat(200);
                done.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        AtomicFiles.writeString(target, text);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        String content = Files.readString(target);
        assertThat(content).matches("(thread \\d )+").hasSize("thread 0 ".length() * 200);
        assertThat(content.substring(0, 9).repeat(200)).isEqualTo(content);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void writersBuiltOnItNameTheTargetToo() {
        Path missing = dir.resolve("gone");
        Path model = missing.resolve("model.onnx");
        io.ortune.graph.ir.Graph g = new io.ortune.graph.ir.Graph("g");
        g.addOutput(g.addInput("x", io.ortune.graph.ir.ValueType.tensor(io.ortune.graph.ir.DataType.FLOAT, 2)));
        assertThatThrownBy(() -> io.ortune.graph.onnx.OnnxWriter.write(new io.ortune.graph.ir.Model(g), model))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessage(model + ": cannot write it: its folder " + missing + " does not exist");
        Path npy = missing.resolve("t.npy");
        assertThatThrownBy(() -> NpyFiles.write(io.ortune.graph.ir.Tensor.ofFloats("t", new long[] {1}, 1f), npy))
                .hasMessage(npy + ": cannot write it: its folder " + missing + " does not exist");
    }
}
