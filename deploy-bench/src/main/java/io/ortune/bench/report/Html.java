package io.ortune.bench.report;

import java.util.List;
import java.util.Map;

/** A small HTML writer: escaped text, headings, tables and embedded chart images, one self-contained page. */
final class Html {

    private final StringBuilder body = new StringBuilder();

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    Html heading(int level, String text) {
        body.append("<h").append(level).append('>').append(escape(text)).append("</h").append(level).append(">\n");
        return this;
    }

    Html paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    Html list(List<String> items, String cssClass) {
        body.append("<ul class=\"").append(cssClass).append("\">\n");
        items.forEach(i -> body.append("<li>").append(escape(i)).append("</li>\n"));
        body.append("</ul>\n");
        return this;
    }

    Html table(List<String> header, List<List<String>> rows) {
        body.append("<table>\n<tr>");
        header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> r : rows) {
            body.append("<tr>");
            r.forEach(c -> body.append("<td>").append(escape(c)).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    Html keyValues(Map<String, String> kv) {
        return table(List.of("", ""), kv.entrySet().stream().map(e -> List.of(e.getKey(), e.getValue())).toList());
    }

    Html chart(Chart c) {
        body.append("<figure data-chart=\"").append(escape(c.id())).append("\"><img class=\"chart\" alt=\"")
                .append(escape(c.title())).append("\" width=\"").append(ChartRenderer.WIDTH).append("\" height=\"")
                .append(ChartRenderer.HEIGHT).append("\" src=\"").append(c.dataUri()).append("\"><figcaption>")
                .append(escape(c.title())).append("</figcaption></figure>\n");
        return this;
    }

    /** The whole page. */
    String page(String title) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>\nbody{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}"
                + "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:3px 8px;"
                + "text-align:right}th{background:#eee}td:first-child{text-align:left}td{max-width:22em;word-wrap:break-word}"
                + "figure{margin:1em 0}.warnings li{color:#a40}\n</style>\n</head>\n<body>\n" + body
                + "</body>\n</html>\n";
    }
}
