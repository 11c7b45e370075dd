package io.ortune.pipeline.stage;

import com.fasterxml.jackson.databind.JsonNode;
import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.PeftInjector;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.PeftMethod;
import io.ortune.graph.peft.PeftSettings;
import io.ortune.pipeline.PipelineConfig;
import io.ortune.pipeline.Stage;
import io.ortune.pipeline.StageContext;
import io.ortune.pipeline.StageName;
import io.ortune.pipeline.StageOutputs;
import io.ortune.pipeline.config.InjectSection;
import io.ortune.training.trainer.TrainingModels;

import java.io.IOException;
import java.util.List;

/**
 * {@code inject}: the base with an adapter written into its graph ({@link PeftInjector}, as {@code ortune inject}),
 * the adapter's tensors recorded as the trainable set; {@code model.onnx}.
 */
public final class InjectStage implements Stage {

    public static final String MODEL = "model";

    private final InjectSection section;
    private final long seed;
    private final int threads;

    public InjectStage(PipelineConfig config) {
        this.section = config.file().inject();
        this.seed = section.seed() != null ? section.seed() : config.file().seedOr();
        this.threads = config.file().threadsOr();
    }

    @Override
    public StageName name() {
        return StageName.INJECT;
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
        return StageSettings.of(section, threads, seed);
    }

    /** The library settings of the section. */
    PeftSettings peftSettings() {
        return new PeftSettings(PeftMethod.parse(section.methodOrDefault()), null, section.r(), section.alpha(),
                section.dropout(), section.target(), section.layers(), Boolean.TRUE.equals(section.rslora()),
                section.init(), null, null, null, null, null, null, seed);
    }

    @Override
    public StageOutputs run(StageContext ctx) throws IOException {
        Model base = TrainingModels.load(ctx.output(StageName.BASE, BaseStage.MODEL));
        Injection injected = PeftInjector.inject(base, peftSettings());
        ctx.progress().accept(injected.report().summary());
        Model model = injected.model();
        OnnxWriter.write(model, ctx.dir().resolve("model.onnx"));
        StageOutputs out = StageOutputs.empty().with(MODEL, "model.onnx");
        java.util.Set<String> names = PeftMetadata.trainable(model).orElse(java.util.Set.of());
        long params = model.graph().initializers().values().stream().filter(v -> names.contains(v.name()))
                .mapToLong(v -> v.constant().elementCount()).sum();
        int trainable = names.size();
        out.summary().put("method", section.methodOrDefault());
        out.summary().put("trainable_tensors", trainable);
        out.summary().put("trainable_parameters", params);
        return out;
    }
}
