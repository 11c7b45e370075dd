package io.ortune.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.ortune.graph.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one {@link GenerationBenchmark} run and their Markdown rendering (the
 * {@value #HEADING} section of docs/benchmarks.md).
 *
 * @param settings what was measured
 * @param rows     ONNX Runtime figures by model
 * @param torch    the PyTorch peer's output (or why it was skipped)
 * @param machine  the machine description
 * @param loads    the 1-minute load average before each side ran and at the end
 */
public record GenerationReport(BenchSettings settings, Map<String, Row> rows, TorchPeer torch,
                               Map<String, String> machine, Map<String, Double> loads) {

    /** The section heading in docs/benchmarks.md. */
    public static final String HEADING = "## Inference: prefill and decode";

    /**
     * One model's ONNX Runtime figures.
     *
     * @param model  its name
     * @param origin where its weights come from
     * @param ort    the figures
     */
    public record Row(String model, String origin, OrtFigures ort) { }

    /** The section, heading included; {@code command} is the reproducing command to print. */
    public String markdown(String command) {
        StringBuilder sb = new StringBuilder();
        sb.append(HEADING).append("\n\n");
        sb.append("Measured ").append(ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")))
                .append(". Reproduce from the repository root with:\n\n    ").append(command).append("\n\n");
        BenchSettings s = settings;
        sb.append(String.format(Locale.ROOT, "Batch 1, float32, CPU, %d threads on both sides (ONNX Runtime intra-op"
                + " threads, `torch.set_num_threads`). Prefill: one forward over a %d-token random prompt computing"
                + " the logits of every position (ortune: the KV-cache graph with an empty past, so it also returns"
                + " the cache; PyTorch: `prefill_ms`), median of %d runs after %d warm-ups. Decode: greedy generation"
                + " of %d tokens after that prompt; tokens/s = %d single-token steps / their time (the first token"
                + " comes from the prefill), median of %d runs. ORT / PyTorch is the ratio of the two values: below"
                + " 1 is better for latency (ms), above 1 is better for throughput (tokens/s).%n%n",
                s.threads(), s.promptLength(), s.runs(), s.warmup(), s.newTokens(), s.newTokens() - 1, s.decodeRuns()));
        sb.append("| model | parameters | metric | ONNX Runtime (ortune) | PyTorch eager | ORT / PyTorch |\n");
        sb.append("| --- | ---: | --- | ---: | ---: | ---: |\n");
        for (Row r : rows.values()) {
            appendRows(sb, r, torch.model(r.model()));
        }
        sb.append('\n');
        appendNotes(sb);
        sb.append("\nMachine:\n\n");
        for (Map.Entry<String, String> e : machine.entrySet()) {
            sb.append("* ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        return sb.toString();
    }

    private static void appendRows(StringBuilder sb, Row r, JsonNode t) {
        OrtFigures o = r.ort();
        String params = String.format(Locale.ROOT, "%,d", o.parameters());
        Double tPrefill = t == null ? null : t.path("prefill_ms").path("median").asDouble();
        Double tDecode = t == null ? null : t.path("decode").path("decode_tokens_per_s").asDouble();
        Double tE2e = t == null ? null : t.path("decode").path("e2e_tokens_per_s").asDouble();
        row(sb, r.model(), params, "prefill, median ms", o.prefillMs(), tPrefill, 2);
        row(sb, "", "", "decode, tokens/s", o.decodeTokensPerS(), tDecode, 1);
        row(sb, "", "", "end to end (prefill + decode), tokens/s", o.e2eTokensPerS(), tE2e, 1);
        row(sb, "", "", "decode with the KV cache copied via the Java heap, tokens/s", o.heapDecodeTokensPerS(),
                null, 1);
    }

    private static void row(StringBuilder sb, String model, String params, String metric, double ort, Double torch,
                            int digits) {
        String f = "%." + digits + "f";
        sb.append("| ").append(model).append(" | ").append(params).append(" | ").append(metric).append(" | ")
                .append(String.format(Locale.ROOT, f, ort)).append(" | ")
                .append(torch == null ? "—" : String.format(Locale.ROOT, f, torch)).append(" | ")
                .append(torch == null ? "—" : String.format(Locale.ROOT, "%.2f", ort / torch)).append(" |\n");
    }

    private void appendNotes(StringBuilder sb) {
        sb.append("Notes:\n\n");
        for (Row r : rows.values()) {
            sb.append("* ").append(r.model()).append(": ortune weights from ").append(r.origin())
                    .append("; first generated ids ").append(Arrays.toString(r.ort().generatedHead())).append(".\n");
        }
        if (rows.containsKey("gpt2-small")) {
            sb.append("* gpt2-small: tools/torch_bench.py cannot load weights, so PyTorch uses its own random"
                    + " initialization (HF-style normal(0.02), torch seed 0) of the same config (n_embd 768, 12 layers,"
                    + " 12 heads, vocab 50257, n_positions 1024); the values differ from ortune's, which does not"
                    + " change float32 dense timings.\n");
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        StringBuilder l = new StringBuilder();
        boolean busy = false;
        for (Map.Entry<String, Double> e : loads.entrySet()) {
            l.append(l.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f %s", e.getValue(), e.getKey()));
            busy |= !e.getKey().equals("at the end") && e.getValue() > 1.0;
        }
        sb.append("* 1-minute load average (").append(cpus).append(" CPUs): ").append(l).append(".\n");
        if (busy) {
            sb.append("* Other work was running when a side started (load above 1 on this machine, so the cores were"
                    + " shared): the figures of that side are not representative; rerun on an idle machine.\n");
        }
        if (torch.json() == null) {
            sb.append("* ").append(torch.skipped()).append(".\n");
        } else {
            sb.append("* PyTorch: `").append(torch.command()).append("`.\n");
            JsonNode w = torch.json().get("warning");
            if (w != null) {
                sb.append("* tools/torch_bench.py warned: ").append(w.asText()).append('\n');
            }
        }
    }

    /**
     * Writes the section into {@code doc}: replaces an existing {@value #HEADING} section (up to the next
     * {@code ## } heading) or appends it, leaving the other sections as they are; creates the file if needed.
     * Written to a temporary file and renamed.
     */
    public static void updateDocument(Path doc, String section) throws IOException {
        String text = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8)
                : "# Benchmarks\n\nMeasured figures; each section names the command that reproduces it.\n";
        String body = section.endsWith("\n") ? section : section + "\n";
        int start = text.indexOf(HEADING + "\n");
        String updated;
        if (start < 0) {
            updated = text + (text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n") + body;
        } else {
            int next = text.indexOf("\n## ", start + HEADING.length());
            updated = text.substring(0, start) + body + (next < 0 ? "" : text.substring(next));
        }
        Path parent = doc.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        AtomicFiles.writeString(doc, updated);
    }
}
