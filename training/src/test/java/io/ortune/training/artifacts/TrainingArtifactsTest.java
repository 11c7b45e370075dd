package io.ortune.training.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import io.ortune.graph.onnx.OnnxReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training and eval models have the layout ONNX Runtime's training API expects (no runtime needed here). */
class TrainingArtifactsTest {

    @TempDir
    Path dir;

    private static List<String> names(List<Value> values) {
        return values.stream().map(Value::name).toList();
    }

    @Test
    void trainingModelFeedsParametersAndAccumulatesGradients() {
        LinearRegressionFixture f = new LinearRegressionFixture();
        ArtifactSet set = TrainingArtifacts.build(f.model, f.loss, f.gradients, List.of("W", "b"), List.of());
        Model m = set.trainingModel();
        Graph g = m.graph();
        assertThat(m.irVersion()).isEqualTo(8);
        assertThat(m.opsetImports()).containsEntry("", 17L).containsEntry("com.microsoft", 1L);
        assertThat(names(g.inputs())).containsExactly("x", "t", "W", "b", "W_grad.accumulation.buffer",
                "b_grad.accumulation.buffer", "lazy_reset_grad");
        assertThat(g.initializers()).containsOnlyKeys("two_over_n", "axes0"); // constants stay initializers
        assertThat(g.inputs().get(2).type()).isEqualTo(ValueType.tensor(DataType.FLOAT, 3, 1));
        assertThat(g.inputs().get(4).type()).isEqualTo(ValueType.tensor(DataType.FLOAT, 3, 1));
        assertThat(g.inputs().get(6).type()).isEqualTo(ValueType.tensor(DataType.BOOL, 1));
        assertThat(names(g.outputs())).containsExactly("loss", "y", "W_grad.accumulation.out",
                "b_grad.accumulation.out");

        Node acc = g.outputs().get(2).producer();
        assertThat(acc.domain()).isEqualTo("com.microsoft");
        assertThat(acc.opType()).isEqualTo("InPlaceAccumulatorV2");
        assertThat(names(acc.inputs())).containsExactly("W_grad.accumulation.buffer", "W_grad", "lazy_reset_grad");
        assertThat(acc.input(1).producer().opType()).isEqualTo("MatMul"); // the hand-written dW, renamed
        assertThat(g.outputs().get(2).type()).isEqualTo(ValueType.tensor(DataType.BOOL, 1));
        assertThat(g.inputs().get(2).uses()).isNotEmpty(); // W still feeds the forward MatMul
    }

    @Test
    void evalModelHasNoGradientNodes() {
        LinearRegressionFixture f = new LinearRegressionFixture();
        ArtifactSet set = TrainingArtifacts.build(f.model, f.loss, f.gradients, List.of("W", "b"), List.of());
        Graph g = set.evalModel().graph();
        assertThat(names(g.inputs())).containsExactly("x", "t", "W", "b");
        assertThat(names(g.outputs())).containsExactly("loss", "y");
        assertThat(g.nodes()).extracting(Node::opType)
                .containsExactly("MatMul", "Add", "Sub", "Mul", "ReduceMean");
        assertThat(g.initializers()).isEmpty(); // two_over_n and axes0 were used by gradients only
        assertThat(set.summary().notes()).anyMatch(n -> n.startsWith("eval: removed 4 node(s) and 2 constant(s)"));
    }

    @Test
    void callersModelIsLeftAlone() {
        LinearRegressionFixture f = new LinearRegressionFixture();
        TrainingArtifacts.build(f.model, f.loss, f.gradients, List.of("W", "b"), List.of());
        Graph g = f.model.graph();
        assertThat(g.initializers()).containsOnlyKeys("W", "b", "two_over_n", "axes0");
        assertThat(names(g.inputs())).containsExactly("x", "t");
        assertThat(names(g.outputs())).containsExactly("loss", "y");
        assertThat(f.gradients.get("W").name()).isEqualTo("dW");
        assertThat(g.nodes()).hasSize(9);
    }

    @Test
    void checkpointHoldsInitialValuesWithFrozenParamsApart() {
        LinearRegressionFixture f = new LinearRegressionFixture();
        ArtifactSet set = TrainingArtifacts.build(ArtifactRequest.of(f.model, f.loss, Map.of("W", f.gradients.get("W")),
                List.of("W"), List.of("b")).withOptimizer(OptimizerConfig.Sgd.plain()));
        Checkpoint c = set.checkpoint();
        assertThat(c.trainableParams()).extracting(Tensor::name).containsExactly("W");
        assertThat(c.frozenParams()).extracting(Tensor::name).containsExactly("b");
        assertThat(c.trainableParams().get(0).toFloats()).containsExactly(f.w0);
        assertThat(c.optimizerState()).isEmpty();
        Graph g = set.trainingModel().graph();
        assertThat(names(g.inputs())).containsExactly("x", "t", "W", "b", "W_grad.accumulation.buffer",
                "lazy_reset_grad");
        assertThat(set.optimizerModel().graph().nodes().get(0).opType()).isEqualTo("SGDOptimizerV2");
        assertThat(set.summary().trainableElements()).isEqualTo(3);
        assertThat(set.summary().frozenElements()).isEqualTo(1);
    }

    @Test
    void weightDecayGoesToTheTrainerWhenBiasesAreTrainable() {
        LinearRegressionFixture f = new LinearRegressionFixture();
        ArtifactSet set = TrainingArtifacts.build(ArtifactRequest.of(f.model, f.loss, f.gradients, List.of("W", "b"),
                List.of()).withOptimizer(OptimizerConfig.AdamW.defaults().withWeightDecay(0.1f)));
        assertThat(set.optimizerModel().graph().nodes().get(0).floatAttr("weight_decay", -1)).isZero();
        assertThat(set.summary().weightDecay().trainerDecayed()).containsExactly("W");
        assertThat(set.summary().weightDecay().undecayed()).containsExactly("b");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        LinearRegressionFixture f = new LinearRegressionFixture();
        f.model.graph().addInitializer(Tensor.ofInts("steps", new long[] {1}, 3));
        assertThatThrownBy(() -> TrainingArtifacts.build(f.model, f.loss, Map.of("W", f.gradients.get("W")),
                List.of("W", "b", "steps", "wte"), List.of("b")))
                .isInstanceOf(ArtifactException.class)
                .satisfies(e -> assertThat(((ArtifactException) e).issues()).containsExactlyInAnyOrder(
                        "'b' is listed as both trainable and frozen",
                        "parameter 'b' is listed twice",
                        "parameter 'wte' is not an initializer of graph 'linear_regression' (it has 5 initializers)",
                        "trainable parameter 'b' has no gradient value",
                        "trainable parameter 'steps' has no gradient value",
                        "trainable parameter 'steps' is int32; ONNX Runtime's CPU optimizers update float32 "
                                + "parameters only (keep other types frozen)",
                        "trainable parameter 'wte' has no gradient value"));
    }

    @Test
    void rejectsGradientsOfTheWrongShape() {
        LinearRegressionFixture f = new LinearRegressionFixture();
        Value wrong = f.gradients.get("b");
        wrong.setType(ValueType.tensor(DataType.FLOAT, 2));
        assertThatThrownBy(() -> TrainingArtifacts.build(f.model, f.loss, f.gradients, List.of("W", "b"), List.of()))
                .hasMessageContaining("the gradient of 'b' has shape [2] but the parameter has [1]");
    }

    @Test
    void writesTheFourFilesAndAManifestOfTheirHashes() throws IOException {
        LinearRegressionFixture f = new LinearRegressionFixture();
        ArtifactSet set = TrainingArtifacts.build(f.model, f.loss, f.gradients, List.of("W", "b"), List.of());
        ArtifactSet.ArtifactFiles files = set.write(dir);
        for (String name : List.of("training_model.onnx", "eval_model.onnx", "optimizer_model.onnx", "checkpoint",
                "manifest.json")) {
            assertThat(dir.resolve(name)).isRegularFile();
        }
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        JsonNode manifest = new ObjectMapper().readTree(files.manifest().toFile());
        assertThat(manifest.get("format").asText()).isEqualTo("ortune.training-artifacts");
        assertThat(manifest.get("ortune_version").asText()).isNotBlank();
        for (String name : List.of("training_model.onnx", "eval_model.onnx", "optimizer_model.onnx", "checkpoint")) {
            JsonNode entry = manifest.get("files").get(name);
            assertThat(entry.get("sha256").asText()).isEqualTo(ArtifactManifest.sha256(dir.resolve(name)));
            assertThat(entry.get("bytes").asLong()).isEqualTo(Files.size(dir.resolve(name)));
        }
        assertThat(manifest.get("parameters").get("trainable_elements").asLong()).isEqualTo(4);
        assertThat(manifest.get("loss").asText()).isEqualTo("loss");

        Model training = OnnxReader.read(files.trainingModel());
        assertThat(names(training.graph().inputs())).containsExactlyElementsOf(names(set.trainingModel().graph().inputs()));
        assertThat(names(training.graph().outputs())).containsExactlyElementsOf(
                names(set.trainingModel().graph().outputs()));
        CheckpointRoundTripTest.assertSameCheckpoint(CheckpointReader.read(files.checkpoint()), set.checkpoint());
    }
}
