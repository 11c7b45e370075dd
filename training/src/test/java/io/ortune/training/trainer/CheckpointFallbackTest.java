package io.ortune.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged latest checkpoint is passed over for the newest valid one, and the user is told which. */
class CheckpointFallbackTest {

    @TempDir
    Path dir;

    private Path step(long step, boolean valid) throws IOException {
        Path d = Files.createDirectories(dir.resolve(String.format("step-%06d", step)));
        Files.write(d.resolve(CheckpointDir.CHECKPOINT), new byte[] {1, 2, 3});
        TrainerState s = new TrainerState(step, 0, 0, 1, 8, 4, 1, 10, "constant", 1e-3, 0, 0, 0, Double.NaN, -1, 0);
        Files.writeString(d.resolve(TrainerState.FILE), valid ? s.toJson() : "{\"step\": 4, trunc");
        return d;
    }

    @Test
    void corruptLatestFallsBackToTheNewestValidAndSaysSo() throws IOException {
        Path two = step(2, true);
        step(4, false);
        Files.writeString(dir.resolve(CheckpointDir.LATEST), "step-000004\n");
        List<String> notices = new ArrayList<>();

        assertThat(new CheckpointDir(dir, 0).latest(notices::add)).contains(two);
        assertThat(notices).singleElement().asString()
                .contains("step-000004", "unreadable trainer_state.json", "using the newest valid one", two.toString());
    }

    @Test
    void validLatestIsUsedWithoutNotice() throws IOException {
        step(2, true);
        Path four = step(4, true);
        Files.writeString(dir.resolve(CheckpointDir.LATEST), "step-000004\n");
        List<String> notices = new ArrayList<>();
        assertThat(new CheckpointDir(dir, 0).latest(notices::add)).contains(four);
        assertThat(notices).isEmpty();
    }

    @Test
    void missingPointerUsesTheNewestValidAndNoValidOneFails() throws IOException {
        Path two = step(2, true);
        assertThat(new CheckpointDir(dir, 0).latest()).contains(two);
        Files.delete(two.resolve(CheckpointDir.CHECKPOINT));
        assertThatThrownBy(() -> new CheckpointDir(dir, 0).latest())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no valid checkpoint in " + dir, "step-000002", "has no checkpoint file");
    }
}
