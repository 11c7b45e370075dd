package io.ortune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.runtime.OrtRuntime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C during {@code ortune train} (a child JVM sent SIGINT) prints the step and the checkpoint to resume from. */
class TrainInterruptTest {

    @TempDir
    Path dir;

    @Test
    void sigintNamesTheStepAndTheResumeCommand() throws Exception {
        Assumptions.assumeTrue(OrtRuntime.isAvailable() && OrtRuntime.get().isTrainingAvailable(),
                "ONNX Runtime with training is not available");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/kill")), "no /bin/kill to send SIGINT");
        Path run = dir.resolve("run");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.ortune.cli.Main", "train", "--model", model().toString(),
                "--data", data().toString(), "--out", run.toString(), "--max-steps", "100000", "--save-every", "1",
                "--batch-size", "2", "--threads", "1").redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean sent = false;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (!sent && line.startsWith("checkpoint @ step 2")) {
                    int kill = new ProcessBuilder("/bin/kill", "-INT", Long.toString(p.pid())).start().waitFor();
                    Assumptions.assumeTrue(kill == 0, "kill -INT failed");
                    sent = true;
                }
            }
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        String out = String.join("\n", lines);
        assertThat(p.exitValue()).as(out).isEqualTo(130);
        assertThat(out).containsPattern("interrupted at step \\d+; resume from " + java.util.regex.Pattern.quote(
                run.resolve("checkpoints").toString()) + "/step-0000\\d\\d with: ortune train --resume "
                + java.util.regex.Pattern.quote(run.toString()));
    }

    private Path model() throws IOException {
        return TinyRunFiles.llama(dir, 1);
    }

    private Path data() throws IOException {
        return TinyRunFiles.idRows(dir, 8);
    }
}
