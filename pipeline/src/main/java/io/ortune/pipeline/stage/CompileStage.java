package io.ortune.pipeline.stage;

import com.fasterxml.jackson.databind.JsonNode;
import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.pipeline.PipelineConfig;
import io.ortune.pipeline.Stage;
import io.ortune.pipeline.StageContext;
import io.ortune.pipeline.StageName;
import io.ortune.pipeline.StageOutputs;
import io.ortune.pipeline.config.CompileSection;
import io.ortune.tensorrt.CompileException;
import io.ortune.tensorrt.CompileSettings;
import io.ortune.tensorrt.Precision;
import io.ortune.tensorrt.ProfileSpec;
import io.ortune.tensorrt.TensorRtCompiler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code compile}: a TensorRT engine ({@link TensorRtCompiler}) of the newest model the pipeline made (quantized,
 * merged, trained, else the base). Every device-free check runs on any machine; without a GPU (or without the
 * TensorRT/CUDA libraries) the stage is skipped with a note in {@code compile.json} naming the reason — no engine is
 * written and nothing is faked.
 */
public final class CompileStage implements Stage {

    public static final String ENGINE = "engine";
    public static final String NOTE = "note";

    private final PipelineConfig config;
    private final CompileSection section;

    public CompileStage(PipelineConfig config) {
        this.config = config;
        this.section = config.file().compile();
    }

    @Override
    public StageName name() {
        return StageName.COMPILE;
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
        return StageSettings.of(section, 0, 0);
    }

    @Override
    public StageOutputs run(StageContext ctx) throws IOException {
        Path model = source(ctx, section.precisionOr());
        Path engine = ctx.dir().resolve("model.engine");
        CompileSettings s = new CompileSettings(model, engine, Precision.valueOf(section.precisionOr()
                .toUpperCase(Locale.ROOT)), profiles(model), section.workspaceMb() == null ? OptionalLong.empty()
                : OptionalLong.of(section.workspaceMb()), null);
        StageOutputs out = StageOutputs.empty();
        out.summary().put("model", model.toString());
        out.summary().put("precision", section.precisionOr());
        try {
            TensorRtCompiler.CompileResult r = TensorRtCompiler.compile(s, false);
            r.warnings().forEach(ctx.progress());
            out.summary().put("skipped", false);
            out.summary().put("engine_sha256", r.manifest().engineSha256());
            return out.with(ENGINE, "model.engine").with("engine_manifest", "model.engine.json");
        } catch (CompileException e) {
            if (e.kind() != CompileException.Kind.DEVICE) {
                throw e;
            }
            ctx.progress().accept("skipped: " + e.getMessage());
            out.summary().put("skipped", true);
            out.summary().put(NOTE, e.getMessage());
            AtomicFiles.writeString(ctx.dir().resolve("compile.json"),
                    StageSettings.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out.summary()) + "\n");
            return out.with(NOTE, "compile.json");
        }
    }

    /** The newest model: int8 → the quantize stage's int8 (Q/DQ) model; else merge, train (reward model first), base. */
    private static Path source(StageContext ctx, String precision) {
        for (String[] c : new String[][] {{"quantize", "int8".equalsIgnoreCase(precision) ? "int8" : "-"},
            {"merge", "model"},
            {"train", TrainStage.REWARD_MODEL}, {"train", TrainStage.MODEL}, {"base", BaseStage.MODEL}}) {
            Optional<Path> p = ctx.optionalOutput(StageName.parse(c[0]), c[1]);
            if (p.isPresent()) {
                return p.get();
            }
        }
        throw new IllegalStateException("no model to compile");
    }

    /** {@code BATCHxSEQ,...} applied to every rank-2 input of the model ({@code input_ids:1x16,8x128,32x256}). */
    private List<ProfileSpec> profiles(Path model) throws IOException {
        List<String> given = section.profiles() == null ? List.of() : section.profiles();
        List<ProfileSpec> out = new ArrayList<>();
        if (given.isEmpty()) {
            return out;
        }
        for (Value in : OnnxReader.read(model).graph().inputs()) {
            if (in.shape().rank() == 2) {
                out.add(ProfileSpec.parse(in.name() + ":" + given.get(0)));
            }
        }
        return out;
    }
}
