package io.ortune.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link DemoSummary}: the demo's closing lines come from the stage manifests' summaries, missing stages left out. */
class DemoSummaryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static StageManifest manifest(StageName s, String summary, List<FileHash> outputs) throws Exception {
        return new StageManifest(s.key(), s.ordinal() + 1, 1, "k", List.of(), JSON.createObjectNode(), Map.of(),
                "", "", 1.0, false, outputs, JSON.readTree(summary));
    }

    @Test
    void linesNameAccuracyInt8DeltaLatenciesReportAndTime() throws Exception {
        Path dir = Path.of("/tmp/demo-x");
        List<StageManifest> m = List.of(
                manifest(StageName.EVALUATE, "{\"before\":0.55,\"after\":0.8875,\"heldout_rows\":80}", List.of()),
                manifest(StageName.QUANTIZE, "{\"int8\":{\"accuracy_float\":0.8875,\"accuracy_quantized\":0.875,"
                        + "\"accuracy_delta\":-0.0125,\"score_cosine\":0.99}}", List.of()),
                manifest(StageName.BENCH, "{\"p50_ms\":{\"fp32@b1\":4.5,\"int8@b32\":51.25}}", List.of()),
                manifest(StageName.REPORT, "{}", List.of(new FileHash("html", "report.html", "x", 1))));
        List<String> lines = DemoSummary.lines(new Pipeline.Result(dir, List.of(), m, 123.45));
        assertThat(lines).containsExactly(
                "held-out pairwise accuracy: 0.5500 -> 0.8875 (80 pairs)",
                "int8 (static QDQ): accuracy 0.8875 -> 0.8750 (delta -0.0125), score cosine 0.990000",
                "p50 latency (ms, CPU): fp32@b1 4.50 int8@b32 51.25",
                "report: " + dir.resolve("stages/09-report/report.html").toAbsolutePath(),
                "total time: 123.5 s");
    }

    @Test
    void stagesThatDidNotRunAreLeftOut() {
        List<String> lines = DemoSummary.lines(new Pipeline.Result(Path.of("d"), List.of(), List.of(), 2.0));
        assertThat(lines).containsExactly("total time: 2.0 s");
    }
}
