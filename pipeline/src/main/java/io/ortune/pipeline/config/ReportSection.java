package io.ortune.pipeline.config;

/**
 * {@code report:} the HTML report assembled from every stage's results.
 *
 * @param html  file name of the report in the report stage's folder ({@code report.html})
 * @param title report title (the pipeline's name)
 */
public record ReportSection(String html, String title) {

    public String htmlOr() { return html == null ? "report.html" : html; }
}
