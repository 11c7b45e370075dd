package io.ortune.bench.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.ortune.models.config.Gpt2Config;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training throughput of a GPT-2-small-shaped model through ONNX Runtime's training API with ortune's artifacts,
 * next to PyTorch eager (tools/torch_bench.py train) in the same run: full fine-tuning and frozen-all-but-the-last-two
 * blocks, LoRA r 16 on {@code c_attn} (PEFT's q,v on GPT-2) and on all linears; tokens/s, peak RSS per setting,
 * and achieved FLOP/s against the better of the two measured MatMul peaks (ONNX Runtime's and the peer's own; a
 * ratio is refused when the peer's BLAS is a reference one or under half as fast, see {@link PeerFairness}).
 *
 * <p>Order of a run: artifacts of every setting (in this JVM), the two MatMul peaks, then for each setting the ortune
 * child JVM followed by the PyTorch process for the same setting (interleaved, so a load change hits both sides).
 *
 * <pre>{@code
 * TrainBenchSettings s = TrainBenchSettings.defaults(Path.of("."), Path.of("target/bench-train"));
 * TrainBenchReport r = TrainBenchmark.run(s, System.err);
 * System.out.println(r.markdown("./ortune bench-train"));
 * }</pre>
 *
 * <p>The child JVMs reuse this JVM's {@code java.class.path}: start it with the full class path (the {@code ortune}
 * launcher does), not through a plug-in class loader such as {@code mvn exec:java}.
 */
public final class TrainBenchmark {

    private TrainBenchmark() {
    }

    /** Measures every setting of {@code s}; progress goes to {@code log}. */
    public static TrainBenchReport run(TrainBenchSettings s, PrintStream log) throws IOException, InterruptedException {
        long start = System.nanoTime();
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        Map<String, String> loads = new LinkedHashMap<>();
        loads.put("at the start", TrainMachine.loadAverages());
        Files.createDirectories(s.workDir());
        Gpt2Config config = BenchArtifacts.config();

        log.println("ortune: building training artifacts (GPT-2 small shape, 124M, seed " + s.seed() + ")");
        List<BenchArtifacts.Built> built = new ArrayList<>();
        for (TrainMode m : s.modes()) {
            built.add(BenchArtifacts.build(m, s, s.workDir().resolve("artifacts-" + m.cliName()), log));
            System.gc();
        }

        loads.put("before the MatMul peak", TrainMachine.loadAverages());
        log.printf("ONNX Runtime float32 MatMul peak: %d^3, %d threads, best of %d%n", s.matmulSize(), s.threads(),
                s.matmulRuns());
        MatMulPeak peak = MatMulPeak.measure(s.matmulSize(), s.threads(), s.matmulRuns());
        log.printf("  best %.1f ms = %.1f GFLOP/s%n", peak.bestS() * 1000, peak.peakFlops() / 1e9);

        String torchNote = TorchTrainPeer.unavailable(s);
        JsonNode peerMatmul = null;
        String refusal = null;
        if (torchNote != null) {
            log.println(torchNote);
        } else {
            loads.put("before the PyTorch MatMul peak", TrainMachine.loadAverages());
            peerMatmul = TorchTrainPeer.matmul(s, log);
            refusal = PeerFairness.refusal(peerMatmul, peak.peakFlops());
            log.printf("MatMul peaks (float32 %d^3, %d threads): ONNX Runtime %.1f GFLOP/s, PyTorch %.1f GFLOP/s "
                    + "(OpenBLAS core %s)%n", s.matmulSize(), s.threads(), peak.peakFlops() / 1e9,
                    peerMatmul.path("matmul_peak").path("peak_flops").asDouble() / 1e9,
                    peerMatmul.path("blas").path("openblas").path("corename").asText("?"));
            if (refusal != null) {
                log.println(refusal);
            }
        }
        List<TrainBenchReport.Row> rows = new ArrayList<>();
        JsonNode torchInfo = null;
        List<String> warnings = new ArrayList<>();
        for (BenchArtifacts.Built b : built) {
            String name = b.mode().cliName();
            loads.put("before ortune " + name, TrainMachine.loadAverages());
            log.printf("ortune %s: child JVM, %d warm-up + %d timed steps%n", name, s.warmupSteps(), s.steps());
            OrtTrainRun ort = OrtTrainRun.run(b, s, log);
            JsonNode torch = null;
            String cmd = null;
            if (torchNote == null) {
                loads.put("before PyTorch " + name, TrainMachine.loadAverages());
                JsonNode all = TorchTrainPeer.run(s, b.mode(), log);
                torchInfo = all;
                if (all.hasNonNull("warning")) {
                    warnings.add("PyTorch " + name + ": " + all.get("warning").asText());
                }
                torch = all.path("runs").path(name);
                cmd = TorchTrainPeer.command(s, name);
            }
            rows.add(new TrainBenchReport.Row(b.mode(), b, TrainingFlops.of(config, b.mode(), s.batch(), s.seq()),
                    ort, torch, cmd));
        }
        loads.put("at the end", TrainMachine.loadAverages());
        double minutes = (System.nanoTime() - start) / 60e9;
        return new TrainBenchReport(s, rows, peak, peerMatmul, refusal, torchNote,
                TrainMachine.describe(torchInfo, torchNote), loads, started, minutes, warnings);
    }
}
