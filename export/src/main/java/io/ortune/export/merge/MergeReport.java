package io.ortune.export.merge;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a merge did.
 *
 * @param folded      adapters folded into the weights and removed, in model order
 * @param modules     linear modules whose weights changed
 * @param refused     adapters left in the graph, by name, with the reason
 * @param maxAbsDelta the largest |W' − W| (weights and biases) over the changed modules
 * @param detail      how the weights were combined ({@code fold}, or the combination and its settings)
 */
public record MergeReport(List<String> folded, List<String> modules, Map<String, String> refused,
                          double maxAbsDelta, String detail) {

    public MergeReport {
        folded = List.copyOf(folded);
        modules = List.copyOf(modules);
        refused = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(refused));
    }

    /** One line per fact, for the CLI. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "merged %s (%s) into %d modules, max |dW| = %.3g", folded, detail,
                modules.size(), maxAbsDelta));
        refused.forEach((k, v) -> b.append("\nnot merged: ").append(k).append(": ").append(v));
        return b.toString();
    }
}
