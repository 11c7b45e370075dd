package io.ortune.models.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code ortune inspect} shows of a weights file ortune reads: a safetensors file (tensors, dtypes, shapes,
 * metadata) or a llama2.c checkpoint (header, derived parameter count, shared classifier).
 *
 * @param format     {@code safetensors} or {@code llama2.c}
 * @param tensors    every tensor: name, dtype, shape
 * @param parameters total elements over all tensors
 * @param bytes      total tensor bytes
 * @param facts      further lines: header fields, metadata (ordered)
 */
public record WeightsSummary(String format, List<TensorLine> tensors, long parameters, long bytes,
                             Map<String, String> facts) {

    /** One tensor of the summary. */
    public record TensorLine(String name, String dtype, long[] shape) {
        /** Elements in the tensor. */
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    public WeightsSummary {
        tensors = List.copyOf(tensors);
        facts = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
    }

    /** The summary of an open safetensors file. */
    public static WeightsSummary of(SafetensorsFile f) {
        List<TensorLine> lines = new ArrayList<>();
        long params = 0;
        long bytes = 0;
        for (String n : f.names()) {
            SafetensorsEntry e = f.entry(n);
            TensorLine t = new TensorLine(n, e.dtype().name(), e.shape());
            lines.add(t);
            params += t.elements();
            bytes += e.byteLength();
        }
        Map<String, String> facts = new java.util.LinkedHashMap<>();
        new TreeMap<>(f.metadata()).forEach((k, v) -> facts.put("metadata." + k, v));
        return new WeightsSummary("safetensors", lines, params, bytes, facts);
    }

    /** The summary of an open llama2.c checkpoint (float32 tensors under Hugging Face Llama names). */
    public static WeightsSummary of(Llama2cCheckpoint c) {
        Llama2cCheckpoint.Header h = c.header();
        List<TensorLine> lines = new ArrayList<>();
        long params = 0;
        for (String n : c.names()) {
            TensorLine t = new TensorLine(n, "F32", c.shape(n));
            lines.add(t);
            params += t.elements();
        }
        Map<String, String> facts = new java.util.LinkedHashMap<>();
        facts.put("dim", Integer.toString(h.dim()));
        facts.put("hidden_dim", Integer.toString(h.hiddenDim()));
        facts.put("n_layers", Integer.toString(h.nLayers()));
        facts.put("n_heads", Integer.toString(h.nHeads()));
        facts.put("n_kv_heads", Integer.toString(h.nKvHeads()));
        facts.put("vocab_size", Integer.toString(h.vocabSize()));
        facts.put("seq_len", Integer.toString(h.seqLen()));
        facts.put("shared_classifier", Boolean.toString(h.sharedClassifier()));
        return new WeightsSummary("llama2.c", lines, params, params * 4, facts);
    }

    /** The text {@code ortune inspect} prints; at most {@code maxTensors} tensor lines (the rest counted). */
    public String format(String source, int maxTensors) {
        StringBuilder b = new StringBuilder();
        b.append(source).append(" (").append(format).append(")\n");
        facts.forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
        b.append(String.format(Locale.ROOT, "  tensors: %d, parameters: %,d, bytes: %,d%n", tensors.size(),
                parameters, bytes));
        Map<String, Long> byType = new TreeMap<>();
        tensors.forEach(t -> byType.merge(t.dtype(), t.elements(), Long::sum));
        byType.forEach((k, v) -> b.append(String.format(Locale.ROOT, "    %s: %,d parameters%n", k, v)));
        for (int i = 0; i < Math.min(maxTensors, tensors.size()); i++) {
            TensorLine t = tensors.get(i);
            b.append("  ").append(t.name()).append(' ').append(t.dtype()).append(' ')
                    .append(Arrays.toString(t.shape())).append('\n');
        }
        if (tensors.size() > maxTensors) {
            b.append("  ... ").append(tensors.size() - maxTensors).append(" more tensors\n");
        }
        return b.toString();
    }
}
