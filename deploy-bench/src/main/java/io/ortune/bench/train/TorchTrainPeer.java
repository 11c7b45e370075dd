package io.ortune.bench.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code tools/torch_bench.py train} for one setting, with OpenBLAS's machine overrides
 * ({@code OPENBLAS_CORETYPE}, {@code OPENBLAS_L2_SIZE}) removed from its environment, as
 * {@code env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 tools/torch_bench.py train ...} does.
 */
final class TorchTrainPeer {

    private static final List<String> OVERRIDES = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    private TorchTrainPeer() {
    }

    /** Null when the PyTorch column can be measured, else why not. */
    static String unavailable(TrainBenchSettings s) throws IOException, InterruptedException {
        if (s.python() == null) {
            return "PyTorch column skipped (--no-torch)";
        }
        if (!Files.isExecutable(s.python())) {
            return "PyTorch column skipped: " + s.python() + " is not an executable";
        }
        if (!Files.isRegularFile(s.torchScript())) {
            return "PyTorch column skipped: " + s.torchScript() + " not found";
        }
        ProcessBuilder pb = new ProcessBuilder(s.python().toString(), "-c", "import torch").redirectErrorStream(true);
        strip(pb.environment());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "PyTorch column skipped: 'import torch' timed out in " + s.python();
        }
        if (p.exitValue() != 0) {
            String[] lines = output.split("\n");
            return "PyTorch column skipped: " + s.python() + " has no torch (" + lines[lines.length - 1] + ")";
        }
        return null;
    }

    /** The script's arguments for {@code trainable} ({@code full}, {@code last2} or {@code both}). */
    static List<String> arguments(TrainBenchSettings s, String trainable) {
        return List.of("train", "--trainable", trainable, "--batch", Integer.toString(s.batch()), "--seq",
                Integer.toString(s.seq()), "--steps", Integer.toString(s.steps()), "--warmup-steps",
                Integer.toString(s.warmupSteps()), "--threads", Integer.toString(s.threads()), "--seed",
                Long.toString(s.seed()), "--lr", plain(s.lr()), "--weight-decay", plain(s.weightDecay()));
    }

    /** The shell command that reproduces the PyTorch side. */
    static String command(TrainBenchSettings s, String trainable) {
        return "env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE " + s.python() + " " + s.torchScript() + " "
                + String.join(" ", arguments(s, trainable));
    }

    /** Runs one setting; returns the script's whole JSON (also kept as {@code torch-<mode>.json}). */
    static JsonNode run(TrainBenchSettings s, TrainMode mode, PrintStream log)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(s.python().toString(), s.torchScript().toString()));
        argv.addAll(arguments(s, mode.cliName()));
        log.println("PyTorch eager " + mode.cliName() + ": " + command(s, mode.cliName()));
        Path out = s.workDir().resolve("torch-" + mode.cliName() + ".json");
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        strip(pb.environment());
        int code = pb.start().waitFor();
        if (code != 0) {
            throw new IOException("tools/torch_bench.py failed with exit code " + code + ": "
                    + command(s, mode.cliName()));
        }
        return new ObjectMapper().readTree(Files.readString(out, StandardCharsets.UTF_8));
    }

    /** {@code 1e-4f} as {@code 0.0001}. */
    static String plain(float v) {
        return new java.math.BigDecimal(Float.toString(v)).stripTrailingZeros().toPlainString();
    }

    private static void strip(Map<String, String> env) {
        for (String k : OVERRIDES) {
            env.remove(k);
        }
    }
}
