package io.ortune.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.models.arch.Form;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner on a tiny GPT-2 in both forms: every case measured or skipped with a reason, and written back. */
class BenchRunnerTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    @Test
    void sweepsBatchesOnEveryBackendAndSkipsTheUnavailableOnesWithTheReason() throws IOException {
        Path training = TinyModels.gpt2(dir, Form.TRAINING);
        Path kv = TinyModels.gpt2(dir, Form.KV_CACHE);
        BenchPlan plan = BenchPlan.builder(List.of(training, kv))
                .backends(List.of(new OrtCpuBackend(), new OrtCudaBackend(0), TensorRtBackend.probing()))
                .batches(List.of(1, 2)).seqs(List.of(8)).warmup(new Warmup.Runs(2)).measure(new Measure.Runs(10))
                .threads(1).build();
        BenchResults r = BenchRunner.run(plan, log);

        assertThat(r.results()).hasSize(2 * 3 * 2);
        for (BenchResult x : r.results()) {
            assertThat(x.precision()).isEqualTo("fp32");
            if (x.backend().equals("cpu")) {
                assertThat(x.ok()).isTrue();
                assertThat(x.warmupRuns()).isEqualTo(2);
                assertThat(x.latencyMs().n()).isEqualTo(10);
                assertThat(x.latencyMs().min()).isPositive().isLessThanOrEqualTo(x.latencyMs().p50());
                assertThat(x.latencyMs().p50()).isLessThanOrEqualTo(x.latencyMs().p99());
                assertThat(x.throughputPerS()).isEqualTo(x.batch() * 1000.0 / x.latencyMs().mean());
                assertThat(x.tokensPerS()).isEqualTo(x.batch() * 8 * 1000.0 / x.latencyMs().mean());
            } else {
                assertThat(x.ok()).as("%s here (no GPU)", x.backend()).isFalse();
                assertThat(x.skipReason()).isNotBlank();
            }
        }
        BenchResult second = r.results().stream().filter(x -> x.model().equals(kv.getFileName().toString())
                && x.ok() && x.batch() == 2).findFirst().orElseThrow();
        BenchResult first = r.results().stream().filter(x -> x.model().equals(training.getFileName().toString())
                && x.ok() && x.batch() == 2).findFirst().orElseThrow();
        assertThat(r.p50VsFirst(second)).contains(second.latencyMs().p50() / first.latencyMs().p50());
        assertThat(r.p50VsFirst(first)).isEmpty();
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("cuda: skipped").contains("tensorrt: skipped");

        Path out = dir.resolve("out");
        r.write(out);
        assertThat(ResultsJson.read(out)).isEqualTo(r);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv).hasSize(1 + 12);
        assertThat(csv.get(0).split(",")).hasSize(ResultsCsv.HEADER.size());
        assertThat(csv.get(1).split(",", -1)).hasSize(ResultsCsv.HEADER.size());
        assertThat(out.resolve("report.html")).isNotEmptyFile();
        assertThat(out.resolve("report.md")).isNotEmptyFile();
    }

    @Test
    void generationGivesTtftAndMlperfTpot() {
        Path kv;
        try {
            kv = TinyModels.gpt2(dir, Form.KV_CACHE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int n = 6;
        BenchPlan plan = BenchPlan.builder(List.of(kv)).batches(List.of(1, 2)).seqs(List.of(5))
                .warmup(new Warmup.Runs(1)).measure(new Measure.Runs(10)).threads(1)
                .generation(new BenchPlan.Generation(n)).build();
        BenchResults r = BenchRunner.run(plan, log);
        assertThat(r.results()).hasSize(2).allMatch(BenchResult::ok);
        for (BenchResult x : r.results()) {
            GenerationFigures g = x.generation();
            assertThat(g.newTokens()).isEqualTo(n);
            // per run tpot = (latency - ttft) / (n - 1), so the means obey it too (up to summation rounding)
            double want = (x.latencyMs().mean() - g.ttftMs().mean()) / (n - 1);
            assertThat(Math.abs(g.tpotMs().mean() - want)).isLessThanOrEqualTo(1e-12 + 1e-9 * want);
            assertThat(g.ttftMs().p50()).isLessThan(x.latencyMs().p50());
            assertThat(g.decodeTokensPerS()).isEqualTo(x.batch() * 1000.0 / g.tpotMs().p50());
            assertThat(g.prefillTokensPerS()).isEqualTo(x.batch() * 5 * 1000.0 / g.ttftMs().p50());
        }
    }

    @Test
    void generationOnAModelWithoutPositionsToSpareIsSkippedWithTheReason() throws IOException {
        Path kv = TinyModels.gpt2(dir, Form.KV_CACHE);
        BenchPlan plan = BenchPlan.builder(List.of(kv)).seqs(List.of(60)).warmup(new Warmup.Runs(0))
                .measure(new Measure.Runs(10)).threads(1).generation(new BenchPlan.Generation(8)).build();
        BenchResult x = BenchRunner.run(plan, log).results().get(0);
        assertThat(x.ok()).isFalse();
        assertThat(x.skipReason()).isEqualTo("prompt 60 + 8 new tokens exceed the model's 64 positions");
    }

    @Test
    void badPlansAreRefusedNamingTheFlag() {
        assertThatThrownBy(() -> BenchPlan.builder(List.of()).build()).hasMessageContaining("no model");
        assertThatThrownBy(() -> BenchPlan.builder(List.of(dir)).batches(List.of(0)).build())
                .hasMessageContaining("--batch");
        assertThatThrownBy(() -> new BenchPlan.Generation(1)).hasMessageContaining("--new-tokens must be >= 2");
        assertThatThrownBy(() -> Backend.parse("tpu")).hasMessageContaining("unknown backend 'tpu'")
                .hasMessageContaining("[cpu, cuda, tensorrt]");
    }
}
