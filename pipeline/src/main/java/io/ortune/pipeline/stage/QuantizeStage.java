package io.ortune.pipeline.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ortune.export.quant.QuantQuality;
import io.ortune.export.quant.QuantReport;
import io.ortune.export.quant.QuantResult;
import io.ortune.export.quant.QuantSettings;
import io.ortune.export.quant.QuantTarget;
import io.ortune.export.quant.Quality;
import io.ortune.export.quant.Quantizer;
import io.ortune.export.quant.TokenRows;
import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.pipeline.PipelineConfig;
import io.ortune.pipeline.Stage;
import io.ortune.pipeline.StageContext;
import io.ortune.pipeline.StageName;
import io.ortune.pipeline.StageOutputs;
import io.ortune.pipeline.config.QuantizeSection;
import io.ortune.pipeline.config.TrainSection;
import io.ortune.training.data.Example;
import io.ortune.training.qlora.Nf4Config;
import io.ortune.training.qlora.Nf4QuantizePass;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code quantize}: the merged model post-training quantized in each configured mode as {@code <mode>.onnx}, with a
 * {@code quantize-<mode>.json} report ({@code "kind": "quantize"}, the {@link QuantReport} fields). int8 is static
 * QDQ calibrated on {@code calibration-samples} training rows (never the held-out ones). Quality on the held-out
 * rows against the merged float model: reward models → pairwise accuracy before/after and the cosine and largest
 * difference of the scores; decoders → {@link QuantQuality} (perplexity delta, KL mean/p99, top-1 agreement).
 */
public final class QuantizeStage implements Stage {

    private static final int DEFAULT_CALIBRATION = 64;
    private static final int DECODER_EVAL_ROWS = 32;

    private final PipelineConfig config;
    private final QuantizeSection section;

    public QuantizeStage(PipelineConfig config) {
        this.config = config;
        this.section = config.file().quantize();
    }

    /** The output name of the model quantized in {@code mode}. */
    public static String output(String mode) {
        return mode;
    }

    @Override
    public StageName name() {
        return StageName.QUANTIZE;
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

    private boolean reward() {
        return TrainSection.REWARD.equals(config.file().train().objectiveOr());
    }

    @Override
    public StageOutputs run(StageContext ctx) throws IOException {
        Path source = ctx.output(StageName.MERGE, MergeStage.MODEL);
        Model model = OnnxReader.read(source);
        List<Example> heldOut = HeldOutRows.read(ctx.output(StageName.TRAIN, TrainStage.HELDOUT));
        StageOutputs out = StageOutputs.empty();
        out.summary().put("source", source.toString());
        for (String mode : section.modesOr()) {
            ObjectNode report = quantize(ctx, model, source, mode, heldOut);
            AtomicFiles.writeString(ctx.dir().resolve("quantize-" + mode + ".json"),
                    StageSettings.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
            out = out.with(output(mode), mode + ".onnx").with("report-" + mode, "quantize-" + mode + ".json");
            out.summary().set(mode, summaryOf(report));
        }
        return out;
    }

    private ObjectNode quantize(StageContext ctx, Model model, Path source, String mode, List<Example> heldOut)
            throws IOException {
        Path file = ctx.dir().resolve(mode + ".onnx");
        ObjectNode report;
        Model quantized;
        if (mode.equals("nf4")) {
            Nf4QuantizePass.Result r = new Nf4QuantizePass(new Nf4Config(section.blockSize() == null ? 64
                    : section.blockSize(), false, false)).quantize(model);
            ctx.progress().accept("nf4: " + r.report().summary());
            quantized = r.model();
            report = StageSettings.JSON.createObjectNode();
            report.put("mode", "nf4");
            report.put("float_bytes", r.report().floatBytes());
            report.put("quantized_bytes", r.report().storedBytes());
            report.put("bits_per_parameter", r.report().bitsPerParameter());
        } else {
            QuantSettings s = settings(mode);
            QuantResult r = s.mode() == io.ortune.export.quant.QuantMode.INT8_STATIC
                    ? Quantizer.quantize(model, s, calibration(ctx, model, s.samples()))
                    : Quantizer.quantize(model, s);
            quantized = r.model();
            report = (ObjectNode) StageSettings.JSON.readTree(QuantReport.of(model, s, r, null).toJson());
            ctx.progress().accept(mode + ": " + r.summary());
        }
        OnnxWriter.write(quantized, file);
        ObjectNode kinded = StageSettings.JSON.createObjectNode();
        kinded.put("kind", "quantize");
        kinded.put("model", mode + ".onnx");
        kinded.setAll(report);
        kinded.remove("quality");
        if (reward()) {
            rewardQuality(ctx, source, file, heldOut, kinded);
        } else {
            Quality q = QuantQuality.measure(model, quantized, QuantRows.of(file, heldOut, false, DECODER_EVAL_ROWS));
            ctx.progress().accept(mode + " vs merged float on held-out rows: " + q.summary());
            kinded.set("quality", StageSettings.JSON.valueToTree(QuantReport.qualityJson(q)));
        }
        return kinded;
    }

    private QuantSettings settings(String mode) {
        QuantSettings s = switch (mode) {
            case "int8" -> QuantSettings.int8().withSamples(section.calibrationSamples() == null
                    ? DEFAULT_CALIBRATION : section.calibrationSamples())
                    .withTarget(section.targetOr().equals("ort") ? QuantTarget.ORT : QuantTarget.TENSORRT);
            case "dynamic" -> QuantSettings.dynamic();
            case "int4" -> QuantSettings.int4(section.blockSize() == null ? QuantSettings.DEFAULT_INT4_BLOCK
                    : section.blockSize());
            default -> throw new IllegalArgumentException("quantize.mode: unknown '" + mode + "', expected one of "
                    + QuantizeSection.MODES);
        };
        return section.exclude() == null ? s : s.withExclude(section.exclude());
    }

    /** Calibration rows: the first training rows (the split the trainer used; held-out rows stay unseen). */
    private TokenRows calibration(StageContext ctx, Model model, int samples) throws IOException {
        TrainData.Split split = TrainData.load(config, config.file().train(), model,
                ctx.optionalOutput(StageName.BASE, BaseStage.TOKENIZER).orElse(null), config.file().seedOr());
        return QuantRows.of(Path.of("training rows"), split.train(), reward(), samples);
    }

    private void rewardQuality(StageContext ctx, Path source, Path quantized, List<Example> heldOut, ObjectNode r) {
        int threads = config.file().threadsOr();
        int batch = config.file().evaluate() == null ? 8 : config.file().evaluate().batchSizeOr();
        HeldOutMetrics.Pairwise before = HeldOutMetrics.pairwise(source, heldOut, batch, 0, threads);
        HeldOutMetrics.Pairwise after = HeldOutMetrics.pairwise(quantized, heldOut, batch, 0, threads);
        RewardScores sc = RewardScores.compare(source, quantized, heldOut, threads);
        r.put("heldout_pairs", before.pairs());
        r.put("accuracy_float", before.accuracy());
        r.put("accuracy_quantized", after.accuracy());
        r.put("accuracy_delta", after.accuracy() - before.accuracy());
        r.put("score_cosine", sc.cosine());
        r.put("score_max_abs_diff", sc.maxAbsDiff());
        ctx.progress().accept(String.format(Locale.ROOT, "%s vs merged float on %d held-out pairs: pairwise accuracy "
                + "%.4f -> %.4f (%+.4f), score cosine %.6f, max |diff| %.4g", r.path("mode").asText(), before.pairs(),
                before.accuracy(), after.accuracy(), after.accuracy() - before.accuracy(), sc.cosine(),
                sc.maxAbsDiff()));
    }

    private static ObjectNode summaryOf(ObjectNode report) {
        ObjectNode s = StageSettings.JSON.createObjectNode();
        for (String k : List.of("accuracy_float", "accuracy_quantized", "accuracy_delta", "score_cosine",
                "score_max_abs_diff", "float_bytes", "quantized_bytes")) {
            if (report.has(k)) {
                s.set(k, report.get(k));
            }
        }
        JsonNode q = report.get("quality");
        if (q != null) {
            for (String k : List.of("perplexity_float", "perplexity_quantized", "perplexity_delta", "kl_mean",
                    "kl_p99", "top1_agreement")) {
                if (q.has(k)) {
                    s.set(k, q.get(k));
                }
            }
        }
        return s;
    }
}
