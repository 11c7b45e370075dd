package io.ortune.bench.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.ortune.bench.PeerBlas;
import io.ortune.graph.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link TrainBenchmark} measured, and its Markdown section for docs/benchmarks.md.
 *
 * @param settings   how it was measured
 * @param rows       one per setting
 * @param peak       ONNX Runtime's MatMul peak
 * @param peerMatmul the peer script's {@code matmul} JSON (its own MatMul peak and BLAS), or null without a peer
 * @param refusal    why no ortune / PyTorch ratio is given ({@link PeerFairness}), or null
 * @param torchNote  why there is no PyTorch column (null when there is one)
 * @param machine    machine description, label → value
 * @param loads      load averages (1, 5, 15 min) at named moments of the run
 * @param startedUtc when the run started, {@code yyyy-MM-dd HH:mm} UTC
 * @param minutes    how long the whole run took
 * @param warnings   warnings the PyTorch script printed (a busy machine), in order
 */
public record TrainBenchReport(TrainBenchSettings settings, List<Row> rows, MatMulPeak peak, JsonNode peerMatmul,
                               String refusal, String torchNote,
                               Map<String, String> machine, Map<String, String> loads, String startedUtc,
                               double minutes, List<String> warnings) {

    /** The section heading this report owns in docs/benchmarks.md. */
    public static final String HEADING = "## Training throughput";

    /**
     * One setting.
     *
     * @param mode      the setting
     * @param artifacts ortune's artifacts (parameter counts, build time)
     * @param flops     MatMul FLOPs per step
     * @param ortune    ortune's figures
     * @param torch     {@code runs.<mode>} of the PyTorch script's JSON, or null
     * @param torchCmd  the PyTorch command, or null
     */
    public record Row(TrainMode mode, BenchArtifacts.Built artifacts, TrainingFlops flops, OrtTrainRun ortune,
                      JsonNode torch, String torchCmd) {

        /** PyTorch tokens/s from its median step (the script's own {@code tokens_per_s} uses the mean). */
        double torchTokensPerS(TrainBenchSettings s) {
            return torch == null ? Double.NaN : (double) s.batch() * s.seq() / torch.path("step_s").path("median")
                    .asDouble();
        }

        /** PyTorch's peak RSS in MiB, or NaN. */
        double torchPeakRssMiB() {
            return torch == null ? Double.NaN : torch.path("peak_rss_mib").asDouble(Double.NaN);
        }
    }

    /** The peer's MatMul peak in FLOP/s, or NaN. */
    public double peerPeakFlops() {
        return peerMatmul == null ? Double.NaN
                : peerMatmul.path("matmul_peak").path("peak_flops").asDouble(Double.NaN);
    }

    /** The better of the two MatMul peaks. */
    public double betterPeakFlops() {
        double p = peerPeakFlops();
        return Double.isNaN(p) ? peak.peakFlops() : Math.max(p, peak.peakFlops());
    }

    /** ortune tokens/s over PyTorch's for {@code r}, or NaN when there is no peer or the ratio is refused. */
    public double ratio(Row r) {
        return r.torch() == null || refusal != null ? Double.NaN : r.ortune().tokensPerS() / r.torchTokensPerS(settings);
    }

    public TrainBenchReport {
        rows = List.copyOf(rows);
        warnings = List.copyOf(warnings);
        machine = Collections.unmodifiableMap(new LinkedHashMap<>(machine));
        loads = Collections.unmodifiableMap(new LinkedHashMap<>(loads));
    }

    /** The Markdown section, starting with {@link #HEADING}; {@code command} is how to reproduce it. */
    public String markdown(String command) {
        TrainBenchSettings s = settings;
        StringBuilder md = new StringBuilder();
        md.append(HEADING).append("\n\n");
        md.append("Measured ").append(startedUtc).append(" UTC (whole run ").append(f(minutes, 1))
                .append(" min, artifacts included). Reproduce from the repository root with:\n\n    ")
                .append(command).append("\n\n");
        md.append("GPT-2-small-shaped model (124M: n_embd 768, 12 layers, 12 heads, vocab 50257, n_positions 1024), "
                + "random weights with seed ").append(s.seed()).append(" on each side (ortune `RandomSource`, PyTorch "
                + "its HF-style init: same shapes and distribution, different values), float32, CPU, ")
                .append(s.threads()).append(" threads on both sides (ONNX Runtime intra-op threads, "
                + "`torch.set_num_threads`; ONNX Runtime's CPU arena on and memory pattern ")
                .append(s.memoryPattern() ? "on (ONNX Runtime's default; ortune's trainer turns it off)"
                        : "off, as in ortune's trainer").append("). Batch ").append(s.batch()).append(" × ").append(s.seq())
                .append(" random token ids per step (labels = input ids, Hugging Face causal-LM loss: logits[:, :-1] "
                + "against labels[:, 1:], mean cross-entropy), AdamW lr ").append(TorchTrainPeer.plain(s.lr()))
                .append(", weight decay ").append(TorchTrainPeer.plain(s.weightDecay()))
                .append(" (see the notes), dropout 0. ")
                .append(count(s.warmupSteps(), "warm-up step")).append(", then ").append(count(s.steps(),
                        "timed step")).append("; "
                + "tokens/s = batch × seq / median step time, on both sides. A step is TrainStep + OptimizerStep + "
                + "LazyResetGrad (ortune) or forward, loss, backward, AdamW step, zero_grad (PyTorch). Each setting "
                + "runs in its own process: ortune in a child JVM (`-Xmx").append(s.childHeap()).append("`) over "
                + "artifacts written beforehand, PyTorch in its own Python process; peak RSS is the child JVM's "
                + "`VmHWM` (ortune) or `ru_maxrss` (PyTorch). \"full\" trains every parameter; \"last2\" only "
                + "`transformer.h.10.*`, `transformer.h.11.*` and `transformer.ln_f.*` (tools/torch_bench.py's "
                + "definition: wte, which is also the tied LM head, wpe and blocks 0-9 frozen). \"lora-qv\" and "
                + "\"lora-all\": LoRA r ").append(TrainMode.LORA_R).append(", α ").append(f(TrainMode.LORA_ALPHA, 0))
                .append(" (scale α/r), dropout 0, base frozen, only A and B train; ortune injects with `LoraPass` "
                + "and trains the set it records (the trainer's path), PyTorch wraps the same Conv1D modules in "
                + "plain torch (frozen base, A Kaiming-uniform, B zero). lora-qv is PEFT's \"q,v\" on GPT-2: "
                + "GPT-2's q, k and v come from one fused `attn.c_attn`, PEFT's GPT-2 default target, so the adapter "
                + "sits on `c_attn`; lora-all is PEFT's `all-linear` (`c_attn`, `attn.c_proj`, `mlp.c_fc`, "
                + "`mlp.c_proj` of every block; the tied LM head left out).\n\n");
        peaks(md);
        table(md);
        md.append("\nStep times in seconds, median [min, max] of ").append(s.steps()).append(":\n\n");
        for (Row r : rows) {
            md.append("* ").append(r.mode().cliName()).append(": ortune ").append(f(r.ortune().medianStepS(), 2))
                    .append(" [").append(f(r.ortune().minStepS(), 2)).append(", ")
                    .append(f(r.ortune().maxStepS(), 2)).append("]");
            if (r.torch() != null) {
                JsonNode st = r.torch().path("step_s");
                md.append("; PyTorch ").append(f(st.path("median").asDouble(), 2)).append(" [")
                        .append(f(st.path("min").asDouble(), 2)).append(", ").append(f(st.path("max").asDouble(), 2))
                        .append("] (the script's own mean-based tokens_per_s: ")
                        .append(f(r.torch().path("tokens_per_s").asDouble(), 1)).append(")");
            }
            md.append("\n");
        }
        flops(md);
        notes(md);
        md.append("\nMachine:\n\n");
        machine.forEach((k, v) -> md.append("* ").append(k).append(": ").append(v).append("\n"));
        return md.toString();
    }

    private void peaks(StringBuilder md) {
        md.append("MatMul peaks (float32 ").append(peak.n()).append("³ into a preallocated output, ")
                .append(peak.threads()).append(" threads, best of ").append(peak.runs()).append(" after 3 warm-ups): "
                + "ONNX Runtime **").append(f(peak.peakFlops() / 1e9, 1)).append(" GFLOP/s**");
        if (peerMatmul != null) {
            JsonNode ob = peerMatmul.path("blas").path("openblas");
            md.append(", PyTorch **").append(f(peerPeakFlops() / 1e9, 1)).append(" GFLOP/s** (`torch.mm`, OpenBLAS "
                    + "core ").append(ob.path("corename").asText("?")).append(", `")
                    .append(PeerBlas.envPrefix(PeerBlas.coreTypeHere())).append("`: the kernel chosen from the CPU "
                    + "flags; OpenBLAS 0.3.21 on its own falls back to slow Prescott kernels on newer Xeons)");
        }
        md.append(".");
        if (refusal != null) {
            md.append(" **No ortune / PyTorch ratio is given**: ").append(refusal.replaceFirst("^no ratio: ", ""))
                    .append(".");
        }
        md.append("\n\n");
    }

    private void table(StringBuilder md) {
        md.append("| setting | trainable params (ortune / PyTorch) | ortune tokens/s | PyTorch tokens/s "
                + "| ortune / PyTorch | ortune peak RSS | PyTorch peak RSS | RSS ortune / PyTorch | GFLOP per step "
                + "| ortune FLOP/s (share of the better MatMul peak) | PyTorch FLOP/s (share) |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            double ort = r.ortune().tokensPerS();
            double torch = r.torchTokensPerS(settings);
            double gflop = r.flops().total() / 1e9;
            boolean t = r.torch() != null;
            md.append("| ").append(r.mode().cliName()).append(" | ").append(String.format(Locale.ROOT, "%,d",
                    r.artifacts().trainableElements())).append(" / ").append(t ? String.format(Locale.ROOT, "%,d",
                    r.torch().path("trainable_params").asLong()) : "—").append(" | ").append(f(ort, 1)).append(" | ")
                    .append(t ? f(torch, 1) : "—").append(" | ")
                    .append(!t ? "—" : refusal != null ? "refused" : f(ratio(r), 2)).append(" | ")
                    .append(gib(r.ortune().peakRssMiB())).append(" | ")
                    .append(t ? gib(r.torchPeakRssMiB()) : "—").append(" | ")
                    .append(t ? f(r.ortune().peakRssMiB() / r.torchPeakRssMiB(), 2) : "—").append(" | ")
                    .append(f(gflop, 1)).append(" | ").append(flopShare(gflop / r.ortune().medianStepS()))
                    .append(" | ").append(t ? flopShare(gflop / r.torch().path("step_s").path("median").asDouble())
                            : "—").append(" |\n");
        }
    }

    private String flopShare(double gflops) {
        return f(gflops, 1) + " GFLOP/s (" + f(100 * gflops * 1e9 / betterPeakFlops(), 1) + " %)";
    }

    private void flops(StringBuilder md) {
        md.append("\nFLOP/s = MatMul FLOPs per step / median step time; the share is of the better of the two "
                + "measured float32 MatMul peaks. ONNX Runtime's: one ").append(peak.n()).append("×")
                .append(peak.n()).append("×")
                .append(peak.n()).append(" MatMul (2n³ FLOPs) at ").append(peak.threads()).append(" intra-op "
                + "threads, inputs and output preallocated, best of ").append(peak.runs()).append(" runs after 3 "
                + "warm-ups: ").append(f(peak.bestS() * 1000, 1)).append(" ms = **").append(f(peak.peakFlops() / 1e9,
                        1)).append(" GFLOP/s** (median ").append(f(peak.medianFlops() / 1e9, 1)).append(" GFLOP/s). "
                + "MatMul FLOPs per step (element-wise work, softmax, LayerNorm, GELU, loss and optimizer not "
                + "counted; `TrainingFlops`): ").append(TrainingFlops.FORMULA).append(". Full fine-tuning is "
                + "exactly 3 × forward = 6·T·N_matmul + 12·L·batch·seq²·E; in last2 no gradient goes below block 10, "
                + "and frozen weights (including the tied LM head) get no weight gradient. The PyTorch peak is the "
                + "same measurement with `torch.mm` (`tools/torch_bench.py matmul`).\n\n");
        for (Row r : rows) {
            TrainingFlops fl = r.flops();
            md.append("* ").append(r.mode().cliName()).append(": forward ").append(f(fl.forward() / 1e9, 1))
                    .append(" + backward activation grads ").append(f(fl.backwardActivation() / 1e9, 1))
                    .append(" + weight grads ").append(f(fl.backwardWeight() / 1e9, 1)).append(" = ")
                    .append(f(fl.total() / 1e9, 1)).append(" GFLOP per step\n");
        }
    }

    private void notes(StringBuilder md) {
        md.append("\nNotes:\n\n");
        for (Row r : rows) {
            BenchArtifacts.Built a = r.artifacts();
            md.append("* ").append(r.mode().cliName()).append(": ortune artifacts (model, loss, autodiff").append(
                    settings.ortGradKernels() ? " with ONNX Runtime's fused gradient kernels" : ", standard ops only")
                    .append(", artifacts) built in ").append(f(a.buildSeconds(), 1)).append(" s and written in ")
                    .append(f(a.writeSeconds(), 1)).append(" s; checkpoint load + session creation ")
                    .append(f(r.ortune().sessionS(), 1)).append(" s, RSS then ")
                    .append(gib(r.ortune().rssAfterSessionMiB())).append("; loss ")
                    .append(f(r.ortune().firstLoss(), 3)).append(" → ").append(f(r.ortune().lastLoss(), 3));
            if (r.torch() != null) {
                JsonNode l = r.torch().path("losses");
                md.append(" (PyTorch ").append(f(l.path(0).asDouble(), 3)).append(" → ")
                        .append(f(l.path(l.size() - 1).asDouble(), 3)).append(")");
            }
            md.append(".\n");
        }
        md.append("* ortune's step does not include the trainer's extra `grad_sq_norm` output, nor its decoupled "
                + "weight decay: ONNX Runtime has one AdamW node for all parameters and ortune exempts biases and "
                + "norm weights (Hugging Face's rule), so the node runs with weight decay 0 and `Trainer` applies "
                + "`p *= 1 - lr·wd` itself. PyTorch decays every parameter inside its AdamW step.\n");
        md.append("* ONNX Runtime's memory pattern (planning buffers from the first run's shapes) raised peak RSS "
                + "with no speed gain (docs/benchmarks.md, \"Training: memory pattern\"), so ortune's trainer and "
                + "this benchmark run without it; `--memory-pattern` measures it on.\n");
        md.append("* 1-, 5- and 15-minute load averages (").append(TrainMachine.lscpu("CPU(s)"))
                .append(" CPUs): ");
        StringBuilder l = new StringBuilder();
        loads.forEach((k, v) -> l.append(l.length() == 0 ? "" : "; ").append(v).append(" ").append(k));
        md.append(l).append(" (these count the benchmark's own processes: about 2 while one side runs).\n");
        if (torchNote != null) {
            md.append("* ").append(torchNote).append(".\n");
        }
        for (String w : warnings) {
            md.append("* Warning: ").append(w).append(".\n");
        }
        if (peerMatmul != null) {
            md.append("* PyTorch MatMul peak: `").append(TorchTrainPeer.command(settings,
                    TorchTrainPeer.matmulArguments(settings))).append("`\n");
        }
        for (Row r : rows) {
            if (r.torchCmd() != null) {
                md.append("* PyTorch ").append(r.mode().cliName()).append(": `").append(r.torchCmd()).append("`\n");
            }
        }
    }

    private static String f(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static String gib(double mib) {
        return f(mib / 1024, 2) + " GiB";
    }

    /** Writes {@code section} into {@code doc}, replacing an earlier {@link #HEADING} section or appending one. */
    public static void updateDocument(Path doc, String section) throws IOException {
        String text = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8)
                : "# Benchmarks\n\nMeasured figures; each section names the command that reproduces it.\n";
        String body = section.endsWith("\n") ? section : section + "\n";
        int start = text.startsWith(HEADING + "\n") ? 0 : text.indexOf("\n" + HEADING + "\n");
        String updated;
        if (start < 0) {
            updated = text + (text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n") + body;
        } else {
            int from = start == 0 ? 0 : start + 1;
            int next = text.indexOf("\n## ", from + HEADING.length());
            updated = text.substring(0, from) + body + (next < 0 ? "" : text.substring(next));
        }
        Path parent = doc.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        AtomicFiles.writeString(doc, updated);
    }
}
