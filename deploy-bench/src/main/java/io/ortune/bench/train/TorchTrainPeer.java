package io.ortune.bench.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ortune.bench.PeerBlas;

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
 * Runs {@code tools/torch_bench.py train} for one setting (and {@code matmul} for the peer's MatMul peak), with the
 * OpenBLAS kernel chosen for this CPU by {@link PeerBlas} in its environment and {@code OPENBLAS_L2_SIZE} removed,
 * as {@code env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 tools/torch_bench.py train ...
 * --keep-openblas-env} does on an AVX-512 machine.
 */
final class TorchTrainPeer {

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
                Long.toString(s.seed()), "--lr", plain(s.lr()), "--weight-decay", plain(s.weightDecay()),
                "--lora-r", Integer.toString(TrainMode.LORA_R), "--lora-alpha", plain((float) TrainMode.LORA_ALPHA),
                "--keep-openblas-env");
    }

    /** The script's arguments for the MatMul peak. */
    static List<String> matmulArguments(TrainBenchSettings s) {
        return List.of("matmul", "--n", Integer.toString(s.matmulSize()), "--runs", Integer.toString(s.matmulRuns()),
                "--threads", Integer.toString(s.threads()), "--keep-openblas-env");
    }

    /** Measures the peer's float32 MatMul peak; returns the script's JSON (kept as {@code torch-matmul.json}). */
    static JsonNode matmul(TrainBenchSettings s, PrintStream log) throws IOException, InterruptedException {
        return runScript(s, matmulArguments(s), s.workDir().resolve("torch-matmul.json"), log, "PyTorch MatMul peak");
    }

    /** The shell command that reproduces the PyTorch side. */
    static String command(TrainBenchSettings s, String trainable) {
        return command(s, arguments(s, trainable));
    }

    /** The shell command that runs the script with {@code args} in the peer's environment. */
    static String command(TrainBenchSettings s, List<String> args) {
        return PeerBlas.envPrefix(PeerBlas.coreTypeHere()) + " " + s.python() + " " + s.torchScript() + " "
                + String.join(" ", args);
    }

    /** Runs one setting; returns the script's whole JSON (also kept as {@code torch-<mode>.json}). */
    static JsonNode run(TrainBenchSettings s, TrainMode mode, PrintStream log)
            throws IOException, InterruptedException {
        return runScript(s, arguments(s, mode.cliName()), s.workDir().resolve("torch-" + mode.cliName() + ".json"),
                log, "PyTorch eager " + mode.cliName());
    }

    private static JsonNode runScript(TrainBenchSettings s, List<String> args, Path out, PrintStream log,
                                      String what) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(s.python().toString(), s.torchScript().toString()));
        argv.addAll(args);
        log.println(what + ": " + command(s, args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        strip(pb.environment());
        int code = pb.start().waitFor();
        if (code != 0) {
            throw new IOException("tools/torch_bench.py failed with exit code " + code + " (its output is above; "
                    + "stdout in " + out + "): " + command(s, args));
        }
        return new ObjectMapper().readTree(Files.readString(out, StandardCharsets.UTF_8));
    }

    /** {@code 1e-4f} as {@code 0.0001}. */
    static String plain(float v) {
        return new java.math.BigDecimal(Float.toString(v)).stripTrailingZeros().toPlainString();
    }

    private static void strip(Map<String, String> env) {
        PeerBlas.apply(env, PeerBlas.coreTypeHere());
    }
}
