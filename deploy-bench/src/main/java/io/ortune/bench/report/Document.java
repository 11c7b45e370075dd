package io.ortune.bench.report;

import java.util.List;
import java.util.Map;

/** Writes each section once into both the HTML page and its Markdown summary. */
final class Document {

    final Html html = new Html();
    final Markdown md = new Markdown();
    private final String htmlName;
    private int charts;

    Document(String htmlName) {
        this.htmlName = htmlName;
    }

    Document heading(int level, String text) {
        html.heading(level, text);
        md.heading(level, text);
        return this;
    }

    Document paragraph(String text) {
        html.paragraph(text);
        md.paragraph(text);
        return this;
    }

    Document list(List<String> items, String cssClass) {
        if (!items.isEmpty()) {
            html.list(items, cssClass);
            md.list(items);
        }
        return this;
    }

    Document table(List<String> header, List<List<String>> rows) {
        html.table(header, rows);
        md.table(header, rows);
        return this;
    }

    Document keyValues(Map<String, String> kv) {
        html.keyValues(kv);
        md.keyValues(kv);
        return this;
    }

    Document charts(List<Chart> cs) {
        for (Chart c : cs) {
            html.chart(c);
            md.chart(c, htmlName);
            charts++;
        }
        return this;
    }

    int chartCount() {
        return charts;
    }
}
