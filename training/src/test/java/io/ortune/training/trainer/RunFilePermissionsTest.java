package io.ortune.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run files (metrics, trainer state) get the user's umask like models do, not the 0600 of a temp file. */
class RunFilePermissionsTest {

    @TempDir
    Path run;

    private Set<PosixFilePermission> plain;

    @BeforeEach
    void referencePermissions() throws IOException {
        assumeTrue(Files.getFileAttributeView(run, PosixFileAttributeView.class) != null, "needs a POSIX file system");
        Path p = Files.writeString(run.resolve("plain"), "x");
        plain = Files.getPosixFilePermissions(p);
        Files.delete(p);
    }

    @Test
    void metricsLogStartedFreshAndAppendedToHasDefaultPermissions() throws IOException {
        Path file = run.resolve("metrics.jsonl");
        MetricsLog log = new MetricsLog(file);
        log.reset(-1);
        log.append("{\"step\": 1}");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(plain);
        assertThat(Files.readString(file)).isEqualTo("{\"step\": 1}\n");
    }

    @Test
    void metricsLogTrimmedOnResumeKeepsDefaultPermissions() throws IOException {
        Path file = run.resolve("logs").resolve("metrics.jsonl");
        MetricsLog log = new MetricsLog(file);
        log.reset(-1);
        log.append("{\"step\": 1}");
        log.append("{\"step\": 2}");
        log.reset(1);
        assertThat(Files.readString(file)).isEqualTo("{\"step\": 1}\n");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(plain);
    }

    @Test
    void trainerStateHasDefaultPermissions() throws IOException {
        TrainerState s = new TrainerState(3, 0, 12, 7, 100, 4, 1, 10, "constant", 1e-3, 0, 48, 0.5,
                Double.NaN, -1, 0);
        s.write(run);
        Path file = run.resolve(TrainerState.FILE);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(plain);
        assertThat(TrainerState.read(run)).isEqualTo(s);
    }
}
