package io.ortune.pipeline;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Content-addressed stages: a rerun with nothing changed skips every stage and rewrites nothing; a changed training
 * setting reruns train and evaluate but skips base and inject; a stage failing at run time is named and leaves the
 * stages before it intact.
 */
class PipelineRerunTest {

    @TempDir
    static Path dir;

    static Pipeline.Result first;

    @BeforeAll
    static void runOnce() {
        TestPipelines.requireTraining();
        first = Pipeline.run(config(0.01), dir, PipelineListener.NONE);
    }

    static PipelineConfig config(double lr) {
        return PipelineConfig.parse(TestPipelines.stories(6, lr, 3), "test", TestPipelines.root());
    }

    @Test
    void manifestsRecordKeyInputsSettingsVersionsAndOutputs() throws Exception {
        assertThat(first.stages()).extracting(StageManifest::stage)
                .containsExactly("base", "inject", "train", "evaluate");
        StageManifest base = first.stages().get(0);
        assertThat(base.key()).hasSize(64);
        assertThat(base.inputs()).extracting(FileHash::name).containsExactly("llama2c");
        assertThat(base.inputs().get(0).sha256()).as("sha256 of stories260K-upstream.bin (testdata/SOURCES.md)")
                .isEqualTo("b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696");
        assertThat(base.versions()).containsKeys("ortune", "onnxruntime", "java");
        assertThat(base.settings().get("section").get("llama2c").asText())
                .isEqualTo("testdata/models/stories260K-upstream.bin");
        StageManifest train = first.stages().get(2);
        assertThat(train.inputs()).extracting(FileHash::name).contains("base/model", "inject/model");
        for (StageManifest m : first.stages()) {
            Path sdir = first.stageDir(StageName.parse(m.stage()));
            assertThat(sdir.resolve(StageManifest.FILE)).isRegularFile();
            assertThat(sdir.resolve(StageRunner.PENDING)).doesNotExist();
            for (FileHash f : m.outputs()) {
                assertThat(FileHash.sha256(sdir.resolve(f.path()))).as(f.path()).isEqualTo(f.sha256());
            }
        }
        StageManifest reread = StageManifest.read(first.stageDir(StageName.TRAIN)).orElseThrow();
        assertThat(reread.key()).isEqualTo(train.key());
        assertThat(reread.outputs()).isEqualTo(train.outputs());
    }

    @Test
    void unchangedRerunSkipsEveryStage() throws Exception {
        Path manifest = first.stageDir(StageName.TRAIN).resolve(StageManifest.FILE);
        String before = Files.readString(manifest);
        List<StageName> started = new ArrayList<>();
        Pipeline.Result again = Pipeline.run(config(0.01), dir, new PipelineListener() {
            @Override
            public void onStageStart(StageName stage, int n, int total, boolean resume, String reason) {
                started.add(stage);
            }
        });
        assertThat(started).isEmpty();
        assertThat(again.plan()).extracting(Pipeline.Planned::action).containsOnly(Pipeline.Action.SKIP);
        assertThat(Files.readString(manifest)).isEqualTo(before);
    }

    @Test
    void dryRunPlansWithoutWriting() {
        Pipeline.Result plan = Pipeline.run(config(0.02), dir, new Pipeline.Options(null, null, true),
                PipelineListener.NONE);
        assertThat(plan.plan()).extracting(Pipeline.Planned::action).containsExactly(Pipeline.Action.SKIP,
                Pipeline.Action.SKIP, Pipeline.Action.RUN, Pipeline.Action.RUN);
        assertThat(plan.plan().get(2).reason()).isEqualTo("inputs or settings changed");
        assertThat(StageManifest.read(first.stageDir(StageName.TRAIN)).orElseThrow().key())
                .isEqualTo(first.stages().get(2).key());
    }

    @Test
    void changedSettingRerunsFromThatStageAndAfter() {
        Path other = dir.resolveSibling(dir.getFileName() + "-lr");
        copyTree(dir, other);
        List<StageName> started = new ArrayList<>();
        Pipeline.Result r = Pipeline.run(config(0.02), other, new PipelineListener() {
            @Override
            public void onStageStart(StageName stage, int n, int total, boolean resume, String reason) {
                started.add(stage);
            }
        });
        assertThat(started).containsExactly(StageName.TRAIN, StageName.EVALUATE);
        for (int i = 0; i < 2; i++) {
            assertThat(r.stages().get(i).key()).isEqualTo(first.stages().get(i).key());
            assertThat(r.stages().get(i).ended()).as("not rerun").isEqualTo(first.stages().get(i).ended());
        }
        assertThat(r.stages().get(2).key()).isNotEqualTo(first.stages().get(2).key());
        assertThat(r.stages().get(2).settings().get("section").get("lr").asDouble()).isEqualTo(0.02);
    }

    @Test
    void failingStageIsNamedAndEarlierStagesStayIntact() throws Exception {
        Path other = dir.resolveSibling(dir.getFileName() + "-fail");
        copyTree(dir, other);
        Path injectManifest = other.resolve("stages/02-inject/manifest.json");
        String injectBefore = Files.readString(injectManifest);
        // passes every config check; only the base stage knows the vocabulary is 512 ids
        PipelineConfig bad = PipelineConfig.parse(TestPipelines.stories(6, 0.01, 3)
                .replace("tokens: 24", "tokens: 600"), "test", TestPipelines.root());
        assertThatThrownBy(() -> Pipeline.run(bad, other, PipelineListener.NONE))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("stage 'train' (3/4) failed")
                .hasMessageContaining("512-token vocabulary")
                .hasMessageContaining("the 2 stage(s) before it are intact")
                .satisfies(e -> assertThat(((PipelineException) e).stage()).isEqualTo(StageName.TRAIN));
        assertThat(Files.readString(injectManifest)).isEqualTo(injectBefore);
        assertThat(other.resolve("stages/01-base/model.onnx")).isRegularFile();
        assertThat(other.resolve("stages/03-train/manifest.json")).doesNotExist();
        assertThat(other.resolve("stages/04-evaluate/manifest.json")).as("later stages are not trusted either")
                .exists(); // the copy's old evaluate manifest stays on disk but its key no longer matches
        Pipeline.Result plan = Pipeline.run(bad, other, new Pipeline.Options(null, null, true), PipelineListener.NONE);
        assertThat(plan.plan()).extracting(Pipeline.Planned::action).containsExactly(Pipeline.Action.SKIP,
                Pipeline.Action.SKIP, Pipeline.Action.RUN, Pipeline.Action.RUN);
    }

    static void copyTree(Path from, Path to) {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
