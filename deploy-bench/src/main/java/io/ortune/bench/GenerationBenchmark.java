package io.ortune.bench;

import io.ortune.bench.harness.MachineLimits;
import io.ortune.bench.harness.Roofline;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prefill latency and decode throughput of ortune's generation loop in ONNX Runtime (CPU), against PyTorch eager
 * running the same models in the same run (tools/torch_bench.py): stories260K (the bundled llama2.c checkpoint,
 * identical weights on both sides) and a GPT-2-small-shaped model (124M, random weights, seed 0 on each side: the
 * script cannot load weights, so the two sides hold different random values of the same shape and distribution;
 * dense float32 timings do not depend on the values).
 *
 * <pre>{@code
 * BenchSettings s = BenchSettings.defaults(Path.of("."), Path.of("target/bench"));
 * GenerationReport r = GenerationBenchmark.run(s, System.out);
 * System.out.println(r.markdown("ortune bench-generate"));
 * }</pre>
 */
public final class GenerationBenchmark {

    private GenerationBenchmark() {
    }

    /** Builds and measures every model in ONNX Runtime, then runs the PyTorch peer (unless skipped). */
    public static GenerationReport run(BenchSettings s, PrintStream log) throws IOException, InterruptedException {
        Map<String, GenerationReport.Row> rows = new LinkedHashMap<>();
        Map<String, Double> loads = new LinkedHashMap<>();
        Map<String, String> vsLimits = new LinkedHashMap<>();
        loads.put("before ONNX Runtime", MachineInfo.loadAverage1());
        for (String name : s.models()) {
            log.println("ONNX Runtime: " + name + " (building the KV-cache model)");
            BenchModels.Built built = BenchModels.build(name, s);
            OrtFigures ort = OrtGenerationBench.measure(built, s, log);
            log.printf("  prefill %.2f ms, decode %.1f tokens/s%n", ort.prefillMs(), ort.decodeTokensPerS());
            vsLimits.put(name + " vs limits", vsLimits(built, ort, s));
            log.println("  " + vsLimits.get(name + " vs limits"));
            rows.put(name, new GenerationReport.Row(name, built.origin(), ort));
        }
        loads.put("before PyTorch", MachineInfo.loadAverage1());
        TorchPeer torch = TorchPeer.run(s, log);
        loads.put("at the end", MachineInfo.loadAverage1());
        if (torch.skipped() != null) {
            log.println(torch.skipped());
        }
        Map<String, String> machine = new LinkedHashMap<>(MachineInfo.describe(torch));
        MachineLimits m = MachineLimits.probe(s.threads());
        machine.put("machine limits", String.format(Locale.ROOT, "matmul peak %.1f GFLOP/s (%s), read bandwidth %.1f"
                + " GB/s (%s)", m.matmulGflops(), m.matmulMethod(), m.readGbPerS(), m.bandwidthMethod()));
        machine.putAll(vsLimits);
        return new GenerationReport(s, rows, torch, machine, loads);
    }

    /** Batch-1 prefill against the MatMul peak and decode against the bandwidth bound (harness arithmetic). */
    private static String vsLimits(BenchModels.Built built, OrtFigures ort, BenchSettings s) {
        MachineLimits m = MachineLimits.probe(s.threads());
        if (built.weightBytes() == 0) {
            return built.file() + " has no weights";
        }
        double prefillTokensPerS = s.promptLength() * 1000.0 / ort.prefillMs();
        return "prefill " + Roofline.formatPeak(built.parameters(), prefillTokensPerS, m) + "; decode "
                + Roofline.formatDecode(ort.decodeTokensPerS(), 1, built.weightBytes(), m);
    }

    /**
     * Runs with the defaults from the repository root (the working directory): both models, 2 threads, PyTorch from
     * /usr/bin/python3 unless {@code --no-torch}; prints the Markdown section.
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        BenchSettings d = BenchSettings.defaults(root, root.resolve("target/bench-generate"));
        boolean noTorch = java.util.Arrays.asList(args).contains("--no-torch");
        BenchSettings s = new BenchSettings(d.models(), d.threads(), d.promptLength(), d.newTokens(), d.warmup(),
                d.runs(), d.decodeRuns(), d.stories(), d.workDir(), noTorch ? null : d.python(), d.torchScript());
        GenerationReport r = run(s, System.err);
        System.out.println(r.markdown("mvn -q -pl deploy-bench exec:java -Dexec.mainClass="
                + GenerationBenchmark.class.getName() + (noTorch ? " -Dexec.args=--no-torch" : "")));
    }
}
