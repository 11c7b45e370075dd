package io.ortune.pipeline.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ortune.bench.harness.BenchPlan;
import io.ortune.bench.harness.BenchResult;
import io.ortune.bench.harness.BenchResults;
import io.ortune.bench.harness.BenchRunner;
import io.ortune.bench.harness.Measure;
import io.ortune.bench.harness.Warmup;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.arch.ModelForms;
import io.ortune.models.arch.WeightMismatchException;
import io.ortune.pipeline.PipelineConfig;
import io.ortune.pipeline.Stage;
import io.ortune.pipeline.StageContext;
import io.ortune.pipeline.StageName;
import io.ortune.pipeline.StageOutputs;
import io.ortune.pipeline.config.BenchSection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench}: {@link BenchRunner} on ONNX Runtime CPU over every model the pipeline made — {@code fp32} (the base),
 * {@code merged} and each quantized model — at the configured batch sizes and sequence length, written as
 * {@code results.json}, {@code results.csv}, {@code report.html} and {@code report.md} in the stage folder. Models
 * are linked into {@code models/} under those labels. Decoders with {@code generate:} time greedy generation (TTFT,
 * TPOT) on KV-cache forms rebuilt from the base and merged weights ({@link ModelForms#toKvCache}); when the
 * weights do not rebuild into that form the stage times forward passes at the prompt length instead and says so
 * ({@code generation_skipped}).
 */
public final class BenchStage implements Stage {

    public static final String RESULTS = "results";

    private final PipelineConfig config;
    private final BenchSection section;

    public BenchStage(PipelineConfig config) {
        this.config = config;
        this.section = config.file().bench();
    }

    @Override
    public StageName name() {
        return StageName.BENCH;
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public List<Input> inputs() {
        return List.of();
    }

    @Override
    public JsonNode settings() {
        return StageSettings.of(section, config.file().threadsOr(), config.file().seedOr());
    }

    @Override
    public StageOutputs run(StageContext ctx) throws IOException {
        Path models = Files.createDirectories(ctx.dir().resolve("models"));
        BenchSection.Generate gen = section.generate();
        String genSkipped = null;
        List<Path> files = null;
        if (gen != null) {
            try {
                files = kvForms(sources(ctx, false), models);
            } catch (WeightMismatchException e) {
                genSkipped = "no KV-cache form could be rebuilt from these weights (" + e.getMessage().lines()
                        .findFirst().orElse("") + "): forward passes timed instead";
                ctx.progress().accept("generation bench skipped: " + genSkipped);
                gen = null;
            }
        }
        if (files == null) {
            files = links(sources(ctx, true), models);
        }
        BenchPlan plan = BenchPlan.builder(files)
                .batches(section.batch() == null ? List.of(1) : section.batch())
                .seqs(List.of(section.generate() != null ? (section.generate().promptLen() == null ? 64
                        : section.generate().promptLen()) : section.seq() == null ? 128 : section.seq()))
                .warmup(new Warmup.Runs(section.warmup() == null ? 3 : section.warmup()))
                .measure(new Measure.Runs(section.runs() == null ? 20 : section.runs()))
                .threads(config.file().threadsOr()).seed(config.file().seedOr())
                .generation(gen == null ? null : new BenchPlan.Generation(gen.newTokens() == null ? 32
                        : gen.newTokens()))
                .build();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        BenchResults results;
        try (PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            results = BenchRunner.run(plan, ps);
        }
        log.toString(StandardCharsets.UTF_8).lines().forEach(ctx.progress());
        results.write(ctx.dir());
        StageOutputs out = StageOutputs.empty().with(RESULTS, BenchResults.JSON).with("csv", BenchResults.CSV)
                .with("html", BenchResults.HTML);
        ObjectNode latency = out.summary().putObject("p50_ms");
        for (BenchResult r : results.results()) {
            if (!r.ok()) {
                continue;
            }
            String key = r.model().replace(".onnx", "") + "@b" + r.batch();
            latency.put(key, r.latencyMs().p50());
            if (r.generation() != null) {
                ObjectNode g = out.summary().with("generation").putObject(key);
                g.put("ttft_p50_ms", r.generation().ttftMs().p50());
                g.put("tpot_p50_ms", r.generation().tpotMs().p50());
            }
            ctx.progress().accept(String.format(Locale.ROOT, "%s batch %d seq %d: p50 %.3f ms", r.model(), r.batch(),
                    r.seq(), r.latencyMs().p50()));
        }
        out.summary().put("skipped", results.results().stream().filter(r -> !r.ok()).count());
        if (genSkipped != null) {
            out.summary().put("generation_skipped", genSkipped);
        }
        return out;
    }

    private static List<Path> kvForms(Map<String, Path> sources, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, Path> e : sources.entrySet()) {
            Path kv = dir.resolve(e.getKey() + "-kv.onnx");
            OnnxWriter.write(ModelForms.toKvCache(OnnxReader.read(e.getValue())), kv);
            files.add(kv);
        }
        return files;
    }

    private static List<Path> links(Map<String, Path> sources, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, Path> e : sources.entrySet()) {
            Path link = dir.resolve(e.getKey() + ".onnx");
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, dir.relativize(e.getValue().toAbsolutePath()));
            files.add(link);
        }
        return files;
    }

    /** fp32 (base), merged, and (with {@code quantized}) each quantized model, by label. */
    private Map<String, Path> sources(StageContext ctx, boolean quantized) {
        Map<String, Path> m = new LinkedHashMap<>();
        m.put("fp32", ctx.output(StageName.BASE, BaseStage.MODEL));
        ctx.optionalOutput(StageName.MERGE, MergeStage.MODEL).ifPresent(p -> m.put("merged", p));
        if (quantized && config.file().quantize() != null) {
            for (String mode : config.file().quantize().modesOr()) {
                ctx.optionalOutput(StageName.QUANTIZE, QuantizeStage.output(mode)).ifPresent(p -> m.put(mode, p));
            }
        }
        return m;
    }
}
