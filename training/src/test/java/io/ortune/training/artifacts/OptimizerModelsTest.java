package io.ortune.training.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The optimizer models have exactly the inputs, node and attributes ONNX Runtime's optimizer wrapper expects. */
class OptimizerModelsTest {

    private static final ValueType SEQ_FLOAT =
            new ValueType.SequenceType(ValueType.tensor(DataType.FLOAT, Shape.UNKNOWN_RANK));

    @Test
    void adamwHasTheSixInputsInOrderAndOneNode() {
        OptimizerConfig.AdamW cfg = new OptimizerConfig.AdamW(0.8f, 0.95f, 1e-6f, 0.01f, true, 0f);
        Model m = OptimizerModels.adamw(cfg, DataType.FLOAT);
        assertThat(m.irVersion()).isEqualTo(8);
        assertThat(m.opsetImports()).containsEntry("", 17L).containsEntry("com.microsoft", 1L);
        List<Value> in = m.graph().inputs();
        assertThat(in).extracting(Value::name).containsExactly("learning_rate", "step", "params", "gradients",
                "first_order_moments", "second_order_moments");
        assertThat(in.get(0).type()).isEqualTo(ValueType.tensor(DataType.FLOAT, 1));
        assertThat(in.get(1).type()).isEqualTo(ValueType.tensor(DataType.INT64, 1));
        for (int i = 2; i < 6; i++) {
            assertThat(in.get(i).type()).isEqualTo(SEQ_FLOAT);
        }
        assertThat(m.graph().nodes()).hasSize(1);
        Node n = m.graph().nodes().get(0);
        assertThat(n.domain()).isEqualTo("com.microsoft");
        assertThat(n.opType()).isEqualTo("AdamWOptimizer");
        assertThat(n.inputs()).containsExactlyElementsOf(in);
        assertThat(n.floatAttr("alpha", 0)).isEqualTo(0.8f);
        assertThat(n.floatAttr("beta", 0)).isEqualTo(0.95f);
        assertThat(n.floatAttr("epsilon", 0)).isEqualTo(1e-6f);
        assertThat(n.floatAttr("weight_decay", -1)).isEqualTo(0.01f);
        assertThat(n.intAttr("correct_bias", -1)).isEqualTo(1);
        assertThat(n.intAttr("adam_mode", -1)).isEqualTo(1);
        assertThat(m.graph().outputs()).containsExactly(n.output(0));
        assertThat(n.output(0).type()).isEqualTo(ValueType.tensor(DataType.BOOL, 1));
        assertThat(OptimizerModels.inputNames(cfg)).containsExactlyElementsOf(in.stream().map(Value::name).toList());
    }

    @Test
    void sgdReadsLearningRateParamsAndGradients() {
        Model m = OptimizerModels.sgd(OptimizerConfig.Sgd.plain(), DataType.FLOAT);
        assertThat(m.graph().inputs()).extracting(Value::name)
                .containsExactly("learning_rate", "step", "params", "gradients", "first_order_moments");
        assertThat(OptimizerModels.inputNames(OptimizerConfig.Sgd.plain()))
                .containsExactlyElementsOf(m.graph().inputs().stream().map(Value::name).toList());
        Node n = m.graph().nodes().get(0);
        assertThat(m.graph().nodes()).hasSize(1);
        assertThat(n.opType()).isEqualTo("SGDOptimizerV2");
        assertThat(n.inputs()).extracting(Value::name).containsExactly("learning_rate", "params", "gradients");
        assertThat(n.output(0).type()).isEqualTo(ValueType.tensor(DataType.BOOL, 1)); // what the kernel produces
    }

    @Test
    void clippingPutsInplaceClipGradNormBeforeTheOptimizer() {
        Model m = OptimizerModels.adamw(OptimizerConfig.AdamW.defaults().withMaxGradNorm(1f), DataType.FLOAT);
        assertThat(m.graph().nodes()).extracting(Node::opType)
                .containsExactly("InplaceClipGradNorm", "AdamWOptimizer");
        Node clip = m.graph().nodes().get(0);
        assertThat(clip.floatAttr("max_norm", 0)).isEqualTo(1f);
        assertThat(clip.input(0).name()).isEqualTo("gradients");
        assertThat(m.graph().nodes().get(1).input(3)).isSameAs(clip.output(0));
    }
}
