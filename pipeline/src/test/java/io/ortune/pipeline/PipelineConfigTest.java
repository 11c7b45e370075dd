package io.ortune.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad pipeline files are rejected at load, before any work, naming the key and its line. */
class PipelineConfigTest {

    @TempDir
    Path dir;

    static final String BASE = "base:\n  llama2c: testdata/models/stories260K-upstream.bin\n";

    static PipelineConfig parse(String yaml) {
        return PipelineConfig.parse(yaml, "pipeline.yaml", TestPipelines.root());
    }

    static ConfigException rejected(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("accepted:\n" + yaml);
    }

    @Test
    void bothBundledConfigsParseWithEveryStage() throws Exception {
        for (String name : Pipeline.BUNDLED) {
            PipelineConfig c = PipelineConfig.bundled(name, TestPipelines.root());
            assertThat(c.stages()).as(name).containsExactly(StageName.BASE, StageName.INJECT, StageName.TRAIN,
                    StageName.EVALUATE, StageName.MERGE, StageName.QUANTIZE, StageName.COMPILE, StageName.BENCH,
                    StageName.REPORT);
            assertThat(c.file().train().qlora()).as(name + " trains QLoRA").isTrue();
        }
        assertThat(PipelineConfig.bundled("minilm-reward", TestPipelines.root()).file().train().objectiveOr())
                .isEqualTo("reward");
        assertThatThrownBy(() -> PipelineConfig.bundled("nope", TestPipelines.root()))
                .hasMessageContaining("no bundled pipeline 'nope'").hasMessageContaining("minilm-reward");
    }

    @Test
    void unknownKeyIsNamedWithItsLineAndTheKnownKeys() {
        ConfigException e = rejected(BASE + "inject: {}\ntrain:\n  task: {kind: successor-map}\n  lrr: 0.1\n");
        assertThat(e.issues()).hasSize(1);
        assertThat(e.issues().get(0).key()).isEqualTo("train.lrr");
        assertThat(e.issues().get(0).where()).isEqualTo("line 6, column 3");
        assertThat(e.getMessage()).contains("pipeline.yaml: line 6, column 3: train.lrr: unknown key 'lrr'")
                .contains("known keys here:").contains("lr,");
        assertThat(rejected(BASE + "stages: [base]\n").getMessage()).contains("line 3, column 1")
                .contains("unknown key 'stages'");
    }

    @Test
    void wrongTypeNamesKeyAndLine() {
        ConfigException e = rejected(BASE + "inject: {}\ntrain:\n  task: {kind: successor-map}\n  max-steps: many\n");
        assertThat(e.getMessage()).contains("line 6, column 3").contains("train.max-steps").contains("wrong type");
    }

    @Test
    void missingFilesNameKeyAndResolvedPath() {
        ConfigException e = rejected("base:\n  llama2c: models/nothing.bin\ninject: {}\ntrain:\n"
                + "  objective: reward\n  data: nowhere.json\n");
        assertThat(e.issues()).extracting(ConfigException.Issue::key).contains("base.llama2c", "train.data");
        assertThat(e.getMessage()).contains("line 2, column 3: base.llama2c: llama2.c checkpoint not found: "
                + TestPipelines.root().resolve("models/nothing.bin"));
        assertThat(e.getMessage()).contains("line 6, column 3: train.data: training data not found")
                .contains("preference pairs are text: the base needs a tokenizer");
    }

    @Test
    void stagesThatCannotFollowTheOnesBeforeAreRejected() {
        assertThat(rejected(BASE + "merge: {}\n").getMessage()).contains("line 3, column 1: merge: cannot run "
                + "without 'train'");
        assertThat(rejected(BASE + "evaluate:\n").getMessage()).contains("evaluate: cannot run without 'train'");
        assertThat(rejected(BASE + "compile: {precision: int8}\n").getMessage())
                .contains("compile.precision: int8 needs a model with explicit Q/DQ nodes")
                .contains("add quantize: {mode: int8}");
        assertThat(rejected(BASE + "quantize: {mode: dynamic}\ncompile: {precision: int8}\n").getMessage())
                .contains("line 4, column 11: compile.precision").contains("modes [dynamic] make no Q/DQ model");
        assertThat(rejected(BASE + "quantize: {mode: int8, target: ort}\ncompile: {precision: int8}\n").getMessage())
                .contains("compile.precision: int8 needs TensorRT's symmetric Q/DQ").contains("quantize.target is ort");
        assertThat(rejected(BASE + "quantize: {mode: int8, target: trt}\n").getMessage())
                .contains("quantize.target: 'trt': use tensorrt or ort");
        assertThat(rejected(BASE + "merge: {into: float}\n").getMessage())
                .contains("merge.into: 'float': use dequantized").contains("or base");
        assertThat(rejected(BASE + "report: {}\n").getMessage()).contains("report: has nothing to report");
        assertThat(rejected("inject: {}\n" + BASE).getMessage()).contains("line 1, column 1: inject: written before "
                + "'base' but runs after it");
        assertThat(rejected("name: x\n").getMessage()).contains("base: missing");
        assertThat(rejected(BASE + "train:\n  task: {kind: successor-map}\n").getMessage())
                .contains("train: cannot run without 'inject'");
        assertThat(rejected(BASE + "inject: {}\ntrain:\n  task: {kind: successor-map}\n  quantize: int8\n"
                + "bench: {generate: {}}\n").getMessage()).contains("train.quantize: 'int8'");
    }

    @Test
    void valuesOutOfRangeAreAllListed() {
        ConfigException e = rejected(BASE + "inject: {method: lorax}\ntrain:\n  task: {kind: random, rows: 2}\n"
                + "  eval-fraction: 1.5\n  lr: 3\nevaluate: {}\nquantize: {modes: [int8, int3, int8]}\n"
                + "bench: {batch: [1, 0]}\n");
        assertThat(e.issues()).extracting(ConfigException.Issue::key).contains("inject.method", "train.task.kind",
                "train.task.rows", "train.eval-fraction", "train.lr", "quantize.modes.1", "quantize.modes.2",
                "bench.batch.1");
        assertThat(e.getMessage()).contains("problems").contains("line 9, column 26: quantize.modes.1: 'int3'")
                .contains("'int8' is listed twice");
    }

    @Test
    void invalidYamlNamesTheLine() {
        assertThat(rejected(BASE + "train: [\n").getMessage()).contains("not valid YAML").contains("line");
        assertThat(rejected(BASE + "base:\n  onnx: x\n").getMessage()).contains("Duplicate field 'base'");
    }

    @Test
    void everyStageIsWiredAndADryRunWritesNothing() throws Exception {
        PipelineConfig c = PipelineConfig.bundled("stories260k-decoder", TestPipelines.root());
        Path out = dir.resolve("run");
        Pipeline.Result r = Pipeline.run(c, out, new Pipeline.Options(null, null, true), PipelineListener.NONE);
        assertThat(r.plan()).extracting(Pipeline.Planned::stage).containsExactly(StageName.values());
        assertThat(r.plan()).extracting(Pipeline.Planned::action).containsOnly(Pipeline.Action.RUN);
        assertThat(out).doesNotExist();
        assertThat(c.upTo(StageName.EVALUATE).stages()).containsExactly(StageName.BASE, StageName.INJECT,
                StageName.TRAIN, StageName.EVALUATE);
    }

    @Test
    void loadReadsAFileAndResolvesAgainstItsFolder() throws Exception {
        Files.writeString(dir.resolve("m.bin"), "x");
        Path yaml = dir.resolve("pipeline.yaml");
        Files.writeString(yaml, "base:\n  llama2c: m.bin\n");
        assertThat(PipelineConfig.load(yaml).baseDir()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThatThrownBy(() -> PipelineConfig.load(dir.resolve("none.yaml"))).hasMessageContaining("none.yaml");
    }
}
