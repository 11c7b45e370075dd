package io.ortune.bench;

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
 * Runs tools/torch_bench.py ({@code infer}) for the PyTorch eager column, with OpenBLAS's kernel chosen for this
 * CPU ({@link PeerBlas}) in its environment and {@code OPENBLAS_L2_SIZE} removed.
 *
 * @param json    the script's output (also kept as torch_bench.json in the work folder), or null when skipped
 * @param skipped why there is no PyTorch column (null when there is one)
 * @param command the command line, for the report
 */
public record TorchPeer(JsonNode json, String skipped, String command) {

    static TorchPeer run(BenchSettings s, PrintStream log) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        if (s.python() != null) {
            argv.add(s.python().toString());
            argv.add(s.torchScript().toString());
        }
        argv.addAll(List.of("infer", "--model", s.models().size() == 2 ? "both" : s.models().get(0),
                "--threads", Integer.toString(s.threads()), "--prompt-len", Integer.toString(s.promptLength()),
                "--new-tokens", Integer.toString(s.newTokens()), "--warmup", Integer.toString(s.warmup()),
                "--runs", Integer.toString(s.runs()), "--decode-runs", Integer.toString(s.decodeRuns()),
                "--stories-bin", s.stories().toString(), "--keep-openblas-env"));
        String command = PeerBlas.envPrefix(PeerBlas.coreTypeHere()) + " " + String.join(" ", argv);
        if (s.python() == null) {
            return new TorchPeer(null, "PyTorch column skipped (--no-torch)", command);
        }
        if (!Files.isExecutable(s.python())) {
            return new TorchPeer(null, "PyTorch column skipped: " + s.python() + " is not an executable", command);
        }
        if (!Files.isRegularFile(s.torchScript())) {
            return new TorchPeer(null, "PyTorch column skipped: " + s.torchScript() + " not found", command);
        }
        String missing = checkTorch(s.python());
        if (missing != null) {
            return new TorchPeer(null, "PyTorch column skipped: " + s.python() + " has no torch (" + missing + ")",
                    command);
        }
        log.println("PyTorch eager: " + command);
        Files.createDirectories(s.workDir());
        Path out = s.workDir().resolve("torch_bench.json");
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        strip(pb.environment());
        Process p = pb.start();
        int code = p.waitFor();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        if (code != 0) {
            throw new IOException("tools/torch_bench.py failed with exit code " + code + ": " + command);
        }
        return new TorchPeer(new ObjectMapper().readTree(text), null, command);
    }

    /** Null when {@code import torch} works, else the first line of the error. */
    private static String checkTorch(Path python) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(python.toString(), "-c", "import torch").redirectErrorStream(true);
        strip(pb.environment());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "import torch timed out";
        }
        if (p.exitValue() == 0) {
            return null;
        }
        String[] lines = output.split("\n");
        return lines[lines.length - 1];
    }

    private static void strip(Map<String, String> env) {
        PeerBlas.apply(env, PeerBlas.coreTypeHere());
    }

    /** {@code models.<name>} of the script's output, or null. */
    public JsonNode model(String name) {
        return json == null ? null : json.path("models").get(name);
    }
}
