package io.ortune.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import io.ortune.graph.ir.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files ONNX Runtime writes (checkpoints, inference models) go through the one atomic-write utility. */
class AtomicSaveTest {

    @TempDir
    Path dir;

    private Set<PosixFilePermission> plainPermissions() throws Exception {
        Path p = Files.writeString(dir.resolve("plain"), "x");
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        Files.delete(p);
        return perms;
    }

    private List<String> leftovers() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp")).toList();
        }
    }

    @Test
    void savedCheckpointAndExportedModelGetDefaultPermissions() throws Exception {
        assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null, "needs a POSIX file system");
        Set<PosixFilePermission> plain = plainPermissions();
        TrainingArtifacts.Files4 f = TrainingArtifacts.write(dir, new float[] {1, 2});
        Path saved = dir.resolve("saved.ckpt");
        Path exported = dir.resolve("inference.onnx");
        try (CheckpointState ckpt = CheckpointState.load(f.checkpoint());
             TrainingSession s = TrainingSession.create(ckpt, f.train(), f.eval(), f.optimizer(),
                     SessionOptions.defaults())) {
            s.trainStep(Map.of("x", Tensor.ofFloats("x", new long[] {2}, 1, 1)));
            ckpt.save(saved, true);
            s.exportModelForInferencing(exported, List.of("loss"));
        }
        assertThat(Files.getPosixFilePermissions(saved)).isEqualTo(plain);
        assertThat(Files.getPosixFilePermissions(exported)).isEqualTo(plain);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void threadsSavingTheSameTargetDoNotShareATemporaryFile() throws Exception {
        TrainingArtifacts.Files4 f = TrainingArtifacts.write(dir, new float[] {1, 2});
        Path target = dir.resolve("shared.ckpt");
        int threads = 4;
        int rounds = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<CheckpointState> states = new ArrayList<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                CheckpointState ckpt = CheckpointState.load(f.checkpoint());
                states.add(ckpt);
                done.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        ckpt.save(target, false);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> d : done) {
                d.get();
            }
        } finally {
            pool.shutdownNow();
            for (CheckpointState s : states) {
                s.close();
            }
        }
        try (CheckpointState reread = CheckpointState.load(target)) {
            assertThat(reread.label()).contains("shared.ckpt");
        }
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void savingIntoAMissingFolderNamesTheTarget() throws Exception {
        TrainingArtifacts.Files4 f = TrainingArtifacts.write(dir, new float[] {1, 2});
        Path target = dir.resolve("missing").resolve("c.ckpt");
        try (CheckpointState ckpt = CheckpointState.load(f.checkpoint())) {
            assertThatThrownBy(() -> ckpt.save(target, false))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessage(target + ": cannot write it: its folder " + target.getParent() + " does not exist");
        }
    }
}
