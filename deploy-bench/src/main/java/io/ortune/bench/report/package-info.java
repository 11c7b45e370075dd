/**
 * The HTML report with charts ({@link io.ortune.bench.report.Report}): bench results, training runs and
 * quantization reports in one self-contained page, plus a Markdown summary.
 */
package io.ortune.bench.report;
