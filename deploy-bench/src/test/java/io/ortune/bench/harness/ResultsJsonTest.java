package io.ortune.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** results.json keeps the contract keys, round-trips exactly, and rejects other schemas naming the key and line. */
class ResultsJsonTest {

    @TempDir
    Path dir;

    @Test
    void writesTheContractKeysAndReadsBackExactly() throws IOException {
        BenchResults r = SampleResults.sample();
        Path f = dir.resolve("results.json");
        ResultsJson.write(r, f);
        JsonNode root = ResultsJson.JSON.readTree(f.toFile());
        JsonNode first = root.get("results").get(0);
        for (String key : new String[] {"model", "backend", "precision", "batch", "seq", "latency_ms",
            "throughput_per_s"}) {
            assertThat(first.has(key)).as(key).isTrue();
        }
        for (String key : new String[] {"p50", "p90", "p99", "mean"}) {
            assertThat(first.get("latency_ms").has(key)).as(key).isTrue();
        }
        assertThat(root.get("results").get(2).get("p50_vs_first").asDouble()).isEqualTo(0.5);
        assertThat(root.get("results").get(4).get("skip_reason").asText()).isEqualTo("no GPU");
        assertThat(ResultsJson.read(f)).isEqualTo(r);
    }

    @Test
    void anotherSchemaVersionIsRejectedNamingTheKeyAndLine() throws IOException {
        Path f = dir.resolve("results.json");
        ResultsJson.write(SampleResults.sample(), f);
        String text = Files.readString(f).replace(BenchResults.SCHEMA, "ortune.bench.results/2");
        Files.writeString(f, text);
        assertThatThrownBy(() -> ResultsJson.read(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(f + " line 2: key \"schema\" is \"ortune.bench.results/2\"")
                .hasMessageContaining("reads \"ortune.bench.results/1\" only");
    }

    @Test
    void aFileWithoutSchemaOrWithAMissingKeyIsRejectedNamingIt() throws IOException {
        Path f = dir.resolve("x.json");
        Files.writeString(f, "{\"results\": []}");
        assertThatThrownBy(() -> ResultsJson.read(f)).hasMessageContaining("no key \"schema\"");
        ResultsJson.write(SampleResults.sample(), f);
        Files.writeString(f, Files.readString(f).replaceFirst("\"p99\"", "\"p98\""));
        assertThatThrownBy(() -> ResultsJson.read(f)).hasMessageContaining("key \"results[0].latency_ms.p99\" is"
                + " missing");
        Files.writeString(f, "{\"schema\": ");
        assertThatThrownBy(() -> ResultsJson.read(f)).hasMessageContaining("not valid JSON (line 1)");
    }
}
