package io.ortune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;
import io.ortune.runtime.OrtRuntime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
        Path p = dir.resolve("llama.onnx");
        OnnxWriter.write(ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"llama\",\"vocab_size\":64,"
                + "\"hidden_size\":32,\"intermediate_size\":48,\"num_hidden_layers\":1,\"num_attention_heads\":4,"
                + "\"num_key_value_heads\":2,\"max_position_embeddings\":64}", "t"), 1, Form.TRAINING), p);
        return p;
    }

    private Path data() throws IOException {
        Random r = new Random(3);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            s.append("{\"input_ids\": [");
            for (int t = 0; t < 12; t++) {
                s.append(t == 0 ? "" : ", ").append(r.nextInt(64));
            }
            s.append("]}\n");
        }
        Path p = dir.resolve("data.jsonl");
        Files.writeString(p, s.toString());
        return p;
    }
}
