package io.ortune.pipeline;

import io.ortune.runtime.OrtRuntime;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Shared test helpers: the project root, the bundled files, a small stories260K pipeline. */
final class TestPipelines {

    private TestPipelines() {
    }

    static Path root() {
        String r = System.getProperty("ortune.root");
        Path root = r == null ? Path.of("..") : Path.of(r);
        Assumptions.assumeTrue(Files.isDirectory(root.resolve("testdata")), "no testdata/ under "
                + root.toAbsolutePath());
        return root.toAbsolutePath().normalize();
    }

    static void requireTraining() {
        Assumptions.assumeTrue(OrtRuntime.isAvailable(), "ONNX Runtime natives cannot be loaded on this machine");
        Assumptions.assumeTrue(OrtRuntime.get().isTrainingAvailable(), "the loaded ONNX Runtime has no training API");
    }

    /** A short QLoRA run of stories260K on the successor-map task, base → evaluate. */
    static String stories(long maxSteps, double lr, int saveEvery) {
        return """
                name: stories-test
                threads: 2
                seed: 1
                base:
                  llama2c: testdata/models/stories260K-upstream.bin
                inject:
                  method: lora
                  r: 4
                  alpha: 8
                  target: all-linear
                train:
                  task: {kind: successor-map, tokens: 24, rows: 96, length: 24, seed: 3}
                  eval-fraction: 0.125
                  quantize: nf4
                  max-steps: %d
                  batch-size: 8
                  lr: %s
                  schedule: constant
                  save-every: %d
                evaluate: {}
                """.formatted(maxSteps, lr, saveEvery);
    }
}
