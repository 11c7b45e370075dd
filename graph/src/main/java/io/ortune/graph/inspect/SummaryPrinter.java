package io.ortune.graph.inspect;

import io.ortune.graph.ir.DataType;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;

/** Formats a {@link ModelSummary} as aligned plain text for a terminal. */
public final class SummaryPrinter {

    private SummaryPrinter() {
    }

    public static String format(String title, ModelSummary s) {
        StringBuilder out = new StringBuilder();
        out.append(title).append('\n');
        out.append(String.format(Locale.ROOT, "  ir_version %d, producer %s%n", s.irVersion(),
                s.producer().isEmpty() ? "(none)" : s.producer()));
        out.append("  opsets: ");
        s.opsets().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.append(e.getKey().isEmpty() ? "ai.onnx" : e.getKey()).append(' ')
                        .append(e.getValue()).append("  "));
        out.append('\n');
        section(out, "inputs", s.inputs());
        section(out, "outputs", s.outputs());
        out.append(String.format(Locale.ROOT, "parameters: %,d in %s%n", s.parameterCount(),
                bytes(s.parameterBytes())));
        s.parametersByType().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<DataType, ModelSummary.Params> e) -> -e.getValue().bytes()))
                .forEach(e -> out.append(String.format(Locale.ROOT, "  %-10s %,14d elements %12s  (%d tensors)%n",
                        e.getKey().onnxName(), e.getValue().elements(), bytes(e.getValue().bytes()),
                        e.getValue().tensors())));
        if (s.constants().tensors() > 0) {
            out.append(String.format(Locale.ROOT, "constants (not parameters: scalars, integer shapes/indices, "
                    + "Constant nodes): %,d elements in %d tensors%n", s.constants().elements(),
                    s.constants().tensors()));
        }
        out.append(String.format(Locale.ROOT, "ops: %d nodes%n", s.nodeCount()));
        s.opHistogram().entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.append(String.format(Locale.ROOT, "  %-28s %6d%n", e.getKey(), e.getValue())));
        if (!s.externalDataFiles().isEmpty()) {
            out.append("external data:\n");
            s.externalDataFiles().forEach((f, n) -> out.append(String.format(Locale.ROOT, "  %-28s %12s%n", f,
                    bytes(n))));
        }
        if (!s.metadata().isEmpty()) {
            out.append("metadata:\n");
            s.metadata().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.append("  ")
                    .append(e.getKey()).append(" = ").append(abbreviate(e.getValue())).append('\n'));
        }
        return out.toString();
    }

    private static void section(StringBuilder out, String name, java.util.List<ModelSummary.Io> ios) {
        out.append(name).append(":\n");
        for (ModelSummary.Io io : ios) {
            out.append(String.format(Locale.ROOT, "  %-32s %s%n", io.name(), io.type()));
        }
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() <= 100 ? one : one.substring(0, 97) + "...";
    }
}
