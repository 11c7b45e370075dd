package io.ortune.pipeline;

import io.ortune.tensorrt.GpuProbe;
import io.ortune.tensorrt.GpuStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The compile stage builds a TensorRT engine when a GPU is present; without one it is skipped with a note naming
 * the reason (no engine written), after the device-free checks (profiles against the model's inputs) passed.
 */
class CompileStageTest {

    @TempDir
    Path dir;

    static final String BASE = "base:\n  llama2c: testdata/models/stories260K-upstream.bin\n";

    @Test
    void compilesOnAGpuOrIsSkippedWithTheReason() {
        PipelineConfig c = PipelineConfig.parse(BASE + "compile:\n  precision: fp16\n"
                + "  profiles: [\"1x1,1x32,4x64\"]\n", "compile test", TestPipelines.root());
        Pipeline.Result r = Pipeline.run(c, dir, PipelineListener.NONE);
        StageManifest m = r.stages().get(1);
        assertThat(m.stage()).isEqualTo("compile");
        GpuStatus gpu = GpuProbe.probe();
        if (gpu instanceof GpuStatus.Missing missing) {
            assertThat(m.summary().get("skipped").asBoolean()).isTrue();
            assertThat(m.summary().get("note").asText()).contains(missing.reason());
            assertThat(m.outputs()).extracting(FileHash::name).containsExactly("note");
            assertThat(r.stageDir(StageName.COMPILE).resolve("model.engine")).doesNotExist();
        } else {
            assertThat(m.outputs()).extracting(FileHash::name).contains("engine", "engine_manifest");
        }
    }

    @Test
    void aProfileThatDoesNotFitTheModelFailsTheStageOnEveryMachine() {
        // rank-2 inputs get BATCHxSEQ; min > opt is refused by the device-free checks
        PipelineConfig c = PipelineConfig.parse(BASE + "compile:\n  profiles: [\"4x64,1x32,8x128\"]\n",
                "compile test", TestPipelines.root());
        assertThatThrownBy(() -> Pipeline.run(c, dir, PipelineListener.NONE)).isInstanceOf(PipelineException.class)
                .hasMessageContaining("stage 'compile' (2/2) failed")
                .satisfies(e -> assertThat(((PipelineException) e).stage()).isEqualTo(StageName.COMPILE));
        assertThat(dir.resolve("stages/01-base/manifest.json")).isRegularFile();
    }

    @Test
    void twoProfilesAreRejectedAtLoad() {
        assertThatThrownBy(() -> PipelineConfig.parse(BASE + "compile:\n  profiles: [\"1x1,1x2,1x3\", "
                + "\"1x1,1x2,1x3\"]\n", "t", TestPipelines.root()))
                .hasMessageContaining("compile.profiles: one profile per engine");
    }
}
