package io.ortune.training.trainer;

import io.ortune.graph.inspect.Parameters;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which parameters train and how many elements that is.
 *
 * @param trainable      trainable parameter name → elements, in model order
 * @param frozen         frozen parameter name → elements, in model order (parameters as {@link Parameters} defines
 *                       them)
 */
public record ParameterReport(Map<String, Long> trainable, Map<String, Long> frozen) {

    public ParameterReport {
        trainable = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(trainable));
        frozen = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(frozen));
    }

    /**
     * Sizes of {@code trainable} read from the initializers of {@code model}; every other initializer that is a
     * parameter by {@link Parameters}' definition (NF4 codes included) is frozen, so trainable + frozen equals
     * {@link Parameters#count} of the model, the figure {@code build} and {@code inspect} print.
     */
    static ParameterReport of(Model model, List<String> trainable) {
        Graph g = model.graph();
        Map<String, Long> t = new LinkedHashMap<>();
        Map<String, Long> f = new LinkedHashMap<>();
        for (String n : trainable) {
            t.put(n, elements(g, n));
        }
        for (Value v : g.initializers().values()) {
            if (!t.containsKey(v.name()) && Parameters.isParameter(v.constant())) {
                f.put(v.name(), v.constant().elementCount());
            }
        }
        return new ParameterReport(t, f);
    }

    private static long elements(Graph g, String name) {
        Value v = g.initializer(name);
        return v == null || v.constant() == null ? 0 : v.constant().elementCount();
    }

    public long trainableElements() {
        return trainable.values().stream().mapToLong(Long::longValue).sum();
    }

    public long frozenElements() {
        return frozen.values().stream().mapToLong(Long::longValue).sum();
    }

    /** A few lines: totals, then the trainable tensors (up to {@code maxNames}, the rest counted). */
    public String summary(int maxNames) {
        long t = trainableElements();
        long all = t + frozenElements();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "trainable parameters: %,d of %,d (%.2f%%) in %d of %d tensors", t, all,
                all == 0 ? 0.0 : 100.0 * t / all, trainable.size(), trainable.size() + frozen.size()));
        int shown = 0;
        for (Map.Entry<String, Long> e : trainable.entrySet()) {
            if (shown++ == maxNames) {
                lines.add("  ... and " + (trainable.size() - maxNames) + " more");
                break;
            }
            lines.add(String.format(Locale.ROOT, "  %-48s %,12d", e.getKey(), e.getValue()));
        }
        return String.join("\n", lines);
    }
}
