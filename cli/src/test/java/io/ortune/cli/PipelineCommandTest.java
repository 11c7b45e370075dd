package io.ortune.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ortune pipeline}: config problems exit 2 with key and line, a dry run plans every stage and writes nothing. */
class PipelineCommandTest {

    @TempDir
    Path dir;

    @Test
    void unknownKeyExitsTwoNamingKeyAndLine() throws Exception {
        Path yaml = dir.resolve("p.yaml");
        Files.writeString(yaml, "base:\n  bundled: all-minilm-l6-v2\ninject: {}\ntrain:\n  objectiv: reward\n");
        CliRun r = CliRun.of("pipeline", "--config", yaml.toString(), "--dir", dir.resolve("out").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("line 5, column 3: train.objectiv: unknown key 'objectiv'");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void usageErrors() {
        assertThat(CliRun.of("pipeline").err()).contains("give --config pipeline.yaml or --bundled NAME");
        CliRun r = CliRun.of("pipeline", "--bundled", "stories260k-decoder", "--to", "deploy");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--to no stage 'deploy'");
        assertThat(CliRun.of("pipeline", "--bundled", "nope").err()).contains("no bundled pipeline 'nope'");
    }

    @Test
    void dryRunOfTheWholeBundledPipelinePlansEveryStage() {
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("pipeline", "--bundled", "stories260k-decoder", "--dry-run", "--dir", out.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("quantize  run").contains("bench     run").contains("report    run");
        assertThat(out).doesNotExist();
    }

    @Test
    void dryRunPrintsThePlanAndWritesNothing() {
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("pipeline", "--bundled", "stories260k-decoder", "--to", "evaluate", "--dry-run",
                "--dir", out.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("base      run    not run before").contains("evaluate  run");
        assertThat(out).doesNotExist();
    }
}
