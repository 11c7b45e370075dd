package io.ortune.bench.report;

import java.util.List;
import java.util.Map;

/** The Markdown twin of {@link Html}: the same sections and tables, charts named by their caption. */
final class Markdown {

    private final StringBuilder sb = new StringBuilder();

    Markdown heading(int level, String text) {
        sb.append("#".repeat(level)).append(' ').append(text).append("\n\n");
        return this;
    }

    Markdown paragraph(String text) {
        sb.append(text).append("\n\n");
        return this;
    }

    Markdown list(List<String> items) {
        items.forEach(i -> sb.append("- ").append(i).append('\n'));
        sb.append('\n');
        return this;
    }

    Markdown table(List<String> header, List<List<String>> rows) {
        sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> sb.append(" --- |"));
        sb.append('\n');
        for (List<String> r : rows) {
            sb.append("| ").append(String.join(" | ", r.stream().map(c -> c.replace("|", "\\|")).toList()))
                    .append(" |\n");
        }
        sb.append('\n');
        return this;
    }

    Markdown keyValues(Map<String, String> kv) {
        return table(List.of("", ""), kv.entrySet().stream().map(e -> List.of(e.getKey(), e.getValue())).toList());
    }

    Markdown chart(Chart c, String htmlName) {
        sb.append("Chart in ").append(htmlName).append(": *").append(c.title()).append("*\n\n");
        return this;
    }

    String text() {
        return sb.toString();
    }
}
