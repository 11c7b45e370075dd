package io.ortune.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Option handling of bench-train and bench-generate (usage errors only: nothing is measured). */
class BenchCommandsTest {

    @Test
    void memoryPatternFlagsExcludeEachOther() {
        CliRun r = CliRun.of("bench-train", "--memory-pattern", "--no-memory-pattern", "--no-torch");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("give --memory-pattern or --no-memory-pattern, not both");
    }

    @Test
    void unknownTrainingSettingNamesTheKnownOnes() {
        CliRun r = CliRun.of("bench-train", "--modes", "qlora", "--no-torch");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("unknown training mode 'qlora'", "full, last2, lora-qv, lora-all");
    }

    @Test
    void sharedOptionsAreListedByBothCommands() {
        for (String cmd : new String[] {"bench-train", "bench-generate"}) {
            CliRun r = CliRun.of(cmd, "--help");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("--threads", "--root", "--work-dir", "--python", "--no-torch", "--doc");
        }
        assertThat(CliRun.of("bench-train", "--help").out()).contains("--json", "--memory-pattern", "lora-qv");
    }
}
