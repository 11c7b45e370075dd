package io.ortune.pipeline.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ortune.graph.inspect.ModelSummary;
import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.pass.Opset13UpgradePass;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.arch.ModelMetadata;
import io.ortune.pipeline.PipelineConfig;
import io.ortune.pipeline.Stage;
import io.ortune.pipeline.StageContext;
import io.ortune.pipeline.StageName;
import io.ortune.pipeline.StageOutputs;
import io.ortune.pipeline.config.BaseSection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code base}: the base model in its training form as {@code model.onnx} (and its tokenizer as {@code tokenizer}):
 * built from a llama2.c checkpoint or a Hugging Face folder, imported from an {@code .onnx} file, or the bundled
 * all-MiniLM-L6-v2. Foreign exports of opset 11/12 are lifted to opset 13 (what the gradient rules need; the lift
 * computes the same bits).
 */
public final class BaseStage implements Stage {

    /** Output names. */
    public static final String MODEL = "model";
    public static final String TOKENIZER = "tokenizer";

    private final PipelineConfig config;
    private final BaseSection base;

    public BaseStage(PipelineConfig config) {
        this.config = config;
        this.base = config.file().base();
    }

    @Override
    public StageName name() {
        return StageName.BASE;
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public List<Input> inputs() {
        List<Input> in = new ArrayList<>();
        if (base.bundled() != null) {
            in.add(new Input("bundled/" + base.bundled(), BundledModels.origin(base.bundled())));
        }
        add(in, "onnx", base.onnx());
        add(in, "llama2c", base.llama2c());
        add(in, "hf-config", base.hfConfig());
        add(in, "hf-weights", base.hfWeights());
        add(in, "tokenizer", base.tokenizer());
        return in;
    }

    private void add(List<Input> in, String name, String path) {
        if (path != null) {
            in.add(new Input(name, config.resolve(path)));
        }
    }

    @Override
    public JsonNode settings() {
        return StageSettings.of(base, 0, 0);
    }

    @Override
    public StageOutputs run(StageContext ctx) throws IOException {
        Path dir = ctx.dir();
        Model model = build(ctx);
        if (!model.metadataProps().containsKey(ModelMetadata.ARCHITECTURE) && model.opsetVersion("") < 13) {
            ctx.progress().accept("lifting opset " + model.opsetVersion("") + " to 13 (same computation)");
            model = new Opset13UpgradePass().run(model).model();
        }
        OnnxWriter.write(model, dir.resolve("model.onnx"));
        StageOutputs out = StageOutputs.empty().with(MODEL, "model.onnx");
        if (base.bundled() != null) {
            AtomicFiles.write(dir.resolve("tokenizer.json"), BundledModels.tokenizer(base.bundled()));
            out = out.with(TOKENIZER, "tokenizer.json");
        } else if (base.tokenizer() != null) {
            Path src = config.resolve(base.tokenizer());
            String name = Files.isDirectory(src) ? "tokenizer" : src.getFileName().toString();
            copy(src, dir.resolve(name));
            out = out.with(TOKENIZER, name);
        }
        ModelSummary s = ModelSummary.of(model);
        ObjectNode summary = out.summary();
        summary.put("architecture", model.metadataProps().getOrDefault(ModelMetadata.ARCHITECTURE, "foreign export"));
        summary.put("parameters", s.parameterCount());
        summary.put("opset", model.opsetVersion(""));
        summary.put("inputs", String.join(",", model.graph().inputs().stream().map(Value::name).toList()));
        summary.put("outputs", String.join(",", model.graph().outputs().stream().map(Value::name).toList()));
        ctx.progress().accept(String.format(java.util.Locale.ROOT, "%s: %,d parameters, inputs %s, outputs %s",
                summary.get("architecture").asText(), s.parameterCount(), summary.get("inputs").asText(),
                summary.get("outputs").asText()));
        return out;
    }

    private Model build(StageContext ctx) throws IOException {
        if (base.bundled() != null) {
            ctx.progress().accept("reading the bundled " + base.bundled());
            return OnnxReader.read(BundledModels.model(base.bundled()));
        }
        if (base.llama2c() != null) {
            return ModelFactory.fromLlama2c(config.resolve(base.llama2c()), Form.TRAINING);
        }
        if (base.hfConfig() != null) {
            return ModelFactory.fromHuggingFace(config.resolve(base.hfConfig()), config.resolve(base.hfWeights()),
                    Form.TRAINING);
        }
        Model read = OnnxReader.read(config.resolve(base.onnx()));
        return read.metadataProps().containsKey(ModelMetadata.ARCHITECTURE)
                ? ModelFactory.fromOnnx(config.resolve(base.onnx())) : read;
    }

    private static void copy(Path src, Path dst) throws IOException {
        if (!Files.isDirectory(src)) {
            AtomicFiles.write(dst, Files.readAllBytes(src));
            return;
        }
        try (var walk = Files.walk(src)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                Path target = dst.resolve(src.relativize(f).toString());
                Files.createDirectories(target.getParent());
                AtomicFiles.write(target, Files.readAllBytes(f));
            }
        }
    }
}
