package io.ortune.bench.train;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The child's wrong-argument path ends it with an exception (non-zero exit), not with System.exit. */
class TrainChildTest {

    @Test
    void wrongArgumentCountThrowsTheUsageInsteadOfExiting() {
        assertThatThrownBy(() -> TrainChild.main(new String[] {"dir", "2"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("usage: TrainChild ARTIFACT_DIR THREADS BATCH SEQ WARMUP STEPS SEED LR VOCAB "
                        + "MEMORY_PATTERN (received 2 arguments: [dir, 2])");
    }
}
