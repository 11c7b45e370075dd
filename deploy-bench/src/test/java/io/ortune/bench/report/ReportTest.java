package io.ortune.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.bench.harness.BenchResults;
import io.ortune.bench.harness.ResultsJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report from a mix of inputs: every chart embedded as a decodable PNG, tables in HTML and Markdown. */
class ReportTest {

    @TempDir
    Path dir;

    static Path trainingRun(Path dir) throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        StringBuilder m = new StringBuilder();
        for (int s = 1; s <= 20; s++) {
            m.append(String.format(java.util.Locale.ROOT, "{\"step\":%d,\"loss\":%.4f,\"lr\":%.6f,\"grad_norm\":1.0,"
                    + "\"tokens\":512,\"tokens_per_s\":1000.0,\"elapsed_s\":%.3f,\"epoch\":0.1}%n", s,
                    4.0 / Math.sqrt(s), 1e-3 * Math.min(1, s / 5.0), s * 0.5));
        }
        Files.writeString(run.resolve("metrics.jsonl"), m);
        Files.writeString(run.resolve("eval.jsonl"), "{\"step\":10,\"eval_loss\":1.5,\"eval_perplexity\":4.48,"
                + "\"eval_tokens\":100,\"eval_s\":0.2}\n{\"step\":20,\"eval_loss\":1.2,\"eval_perplexity\":3.32,"
                + "\"eval_tokens\":100,\"eval_s\":0.2}\n");
        return run;
    }

    static Path benchDir(Path dir) throws IOException {
        Path b = Files.createDirectories(dir.resolve("bench"));
        ResultsJson.write(io.ortune.bench.harness.SamplesForReports.sample(), b.resolve(BenchResults.JSON));
        return b;
    }

    @Test
    void assemblesBenchResultsTrainingRunsAndQuantReports() throws IOException {
        Path nf4 = dir.resolve("nf4.json");
        Files.writeString(nf4, "{\"config\":{\"blockSize\":64,\"doubleQuant\":true},\"tensors\":[{},{}],"
                + "\"quantizedWeights\":4096,\"floatBytes\":16384,\"storedBytes\":2304}");
        Path quant = dir.resolve("q.json");
        Files.writeString(quant, "{\"kind\":\"int8-quant\",\"weights\":12,\"method\":\"qdq\"}");
        Path html = dir.resolve("out/report.html");
        Report.Written w = Report.assemble(List.of(benchDir(dir), trainingRun(dir), nf4, quant), html);

        String page = Files.readString(html);
        // bench: percentiles, vs batch, throughput, precision; training: loss, perplexity, lr
        List<String> ids = chartIds(page);
        assertThat(ids).containsExactly("latency-percentiles", "latency-vs-batch", "throughput", "precision",
                "training-loss-0", "training-perplexity-0", "training-lr-0");
        assertThat(w.charts()).isEqualTo(7);
        for (String uri : imageUris(page)) {
            var img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(uri)));
            assertThat(img.getWidth()).isEqualTo(ChartRenderer.WIDTH);
            assertThat(distinctColours(img)).as("a drawn chart has many colours").isGreaterThan(10);
        }
        assertThat(page.contains("http://") || page.contains("https://")).as("no network reference").isFalse();
        for (String want : List.of("<td>int8.onnx</td>", "<td>0.50x</td>", "skipped: no GPU", "Report (int8-quant)",
                "<td>config.blockSize</td><td>64</td>", "<td>tensors</td><td>2 entries</td>")) {
            assertThat(page.contains(want)).as("page contains %s", want).isTrue();
        }
        int blockSize = page.indexOf("<td>config.blockSize</td>");
        assertThat(blockSize).as("file order kept").isLessThan(page.indexOf("<td>quantizedWeights</td>"));
        assertThat(page.indexOf("<td>tensors</td>")).isGreaterThan(blockSize);
        String md = Files.readString(w.markdown());
        assertThat(w.markdown()).isEqualTo(dir.resolve("out/report.md"));
        assertThat(md).contains("| int8.onnx | cpu | int8 | 1 | 128 | ok |").contains("## Training run")
                .contains("Chart in report.html: *Latency percentiles per model*");
    }

    @Test
    void anotherSchemaVersionIsRejectedBeforeAnythingIsWritten() throws IOException {
        Path b = benchDir(dir);
        Path json = b.resolve(BenchResults.JSON);
        Files.writeString(json, Files.readString(json).replace(BenchResults.SCHEMA, "ortune.bench.results/0"));
        Path html = dir.resolve("out/report.html");
        assertThatThrownBy(() -> Report.assemble(List.of(trainingRun(dir), b), html))
                .hasMessageContaining("key \"schema\" is \"ortune.bench.results/0\"");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void unusableInputsAreNamed() throws IOException {
        Path html = dir.resolve("r.html");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> Report.assemble(List.of(empty), html)).hasMessageContaining(empty
                + ": a folder without results.json (bench output) or metrics.jsonl (training run)");
        Path run = Files.createDirectories(dir.resolve("badrun"));
        Files.writeString(run.resolve("metrics.jsonl"), "{\"step\":1,\"loss\":2}\nnot json\n");
        assertThatThrownBy(() -> Report.assemble(List.of(run), html))
                .hasMessageContaining(run.resolve("metrics.jsonl") + " line 2: not valid JSON");
        assertThatThrownBy(() -> Report.assemble(List.of(), html)).hasMessageContaining("no report input");
        assertThatThrownBy(() -> Report.assemble(List.of(dir.resolve("missing.json")), html))
                .hasMessageContaining("missing.json");
        assertThat(html).doesNotExist();
    }

    static List<String> chartIds(String page) {
        Matcher m = Pattern.compile("<figure data-chart=\"([^\"]+)\">").matcher(page);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static List<String> imageUris(String page) {
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(page);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static int distinctColours(java.awt.image.BufferedImage img) {
        java.util.Set<Integer> c = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                c.add(img.getRGB(x, y));
            }
        }
        return c.size();
    }
}
