package io.ortune.models.arch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import io.ortune.models.config.Gpt2Config;
import io.ortune.models.config.LlamaConfig;
import io.ortune.models.config.ModelConfig;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** What the graphs look like: standard ops only, checkpoint names, module-path node names, interfaces. */
class GraphStructureTest {

    /** The ops the builders may emit: standard opset-17 ops the autodiff and TensorRT read. */
    private static final Set<String> ALLOWED = Set.of("Add", "And", "Cast", "Concat", "Constant", "Cos", "CumSum",
            "Div", "Erf", "Expand", "Gather", "Greater", "LayerNormalization", "LessOrEqual", "MatMul", "Max", "Mul",
            "Neg", "Pow", "Range", "ReduceMax", "ReduceMean", "Relu", "Reshape", "Shape", "Sigmoid", "Sin", "Softmax",
            "Split", "Sqrt", "Sub", "Tanh", "Transpose", "Unsqueeze", "Where");

    private static Set<String> opTypes(Model m) {
        return m.graph().nodes().stream().map(Node::opType).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void onlyStandardOpsAtOpset17() {
        for (ModelConfig c : new ModelConfig[] {TinyConfigs.gpt2(), TinyConfigs.llamaBiasedTied(), TinyConfigs.bert(),
                TinyConfigs.mistral(3, 1), TinyConfigs.llama("\"num_attention_heads\":4,\"rope_scaling\":"
                        + "{\"rope_type\":\"dynamic\",\"factor\":2.0}")}) {
            for (Form f : Architectures.of(c).forms()) {
                Model m = ModelFactory.randomInit(c, 1, f);
                assertThat(m.opsetImports()).as(c.modelType()).containsExactly(java.util.Map.entry("", 17L));
                assertThat(m.graph().nodes()).allSatisfy(n -> assertThat(n.domain()).isEmpty());
                assertThat(ALLOWED).as(c.modelType() + " " + f).containsAll(opTypes(m));
            }
        }
    }

    @Test
    void llamaWeightsKeepCheckpointNamesAndLinearsReadThemThroughTranspose() {
        LlamaConfig c = TinyConfigs.llamaGqa();
        Model m = ModelFactory.randomInit(c, 1, Form.TRAINING);
        Set<String> expected = Architectures.of(c).weights(c, Set.of()).stream().map(WeightSpec::name)
                .collect(Collectors.toSet());
        assertThat(m.graph().initializers().keySet()).containsExactlyInAnyOrderElementsOf(expected);
        Node matMul = node(m, "/model/layers.0/self_attn/q_proj/MatMul");
        Node transpose = matMul.input(1).producer();
        assertThat(transpose.opType()).isEqualTo("Transpose");
        assertThat(transpose.input(0).name()).isEqualTo("model.layers.0.self_attn.q_proj.weight");
        assertThat(transpose.input(0).isInitializer()).isTrue();
        node(m, "/model/layers.1/mlp/down_proj/MatMul");
        node(m, "/lm_head/MatMul");
    }

    @Test
    void gpt2HeadIsTiedWithoutACopy() {
        Gpt2Config c = TinyConfigs.gpt2();
        Model m = ModelFactory.randomInit(c, 1, Form.TRAINING);
        assertThat(m.graph().initializers()).doesNotContainKey("lm_head.weight");
        Value wte = m.graph().initializer("transformer.wte.weight");
        assertThat(wte.consumers()).extracting(Node::opType).containsExactlyInAnyOrder("Gather", "Transpose");
        assertThat(node(m, "/transformer/h.0/attn/c_attn/MatMul").input(1).name())
                .isEqualTo("transformer.h.0.attn.c_attn.weight");
    }

    @Test
    void kvCacheInterfaceFollowsOptimumNaming() {
        LlamaConfig c = TinyConfigs.llamaGqa();
        Model m = ModelFactory.randomInit(c, 1, Form.KV_CACHE);
        assertThat(m.graph().inputs()).extracting(Value::name).containsExactly("input_ids", "attention_mask",
                "position_ids", "past_key_values.0.key", "past_key_values.0.value", "past_key_values.1.key",
                "past_key_values.1.value");
        assertThat(m.graph().outputs()).extracting(Value::name).containsExactly("logits", "present.0.key",
                "present.0.value", "present.1.key", "present.1.value");
        assertThat(type(m.graph().inputs().get(1))).isEqualTo(ValueType.tensor(DataType.INT64,
                Shape.of("batch_size", "total_sequence_length")));
        assertThat(type(m.graph().inputs().get(3))).isEqualTo(ValueType.tensor(DataType.FLOAT,
                Shape.of("batch_size", 2, "past_sequence_length", 8)));
        assertThat(type(m.graph().outputs().get(0))).isEqualTo(ValueType.tensor(DataType.FLOAT,
                Shape.of("batch_size", "sequence_length", 40)));
        assertThat(type(m.graph().outputs().get(1))).isEqualTo(ValueType.tensor(DataType.FLOAT,
                Shape.of("batch_size", 2, "total_sequence_length", 8)));
        assertThat(m.metadataProps()).containsKeys(ModelMetadata.ARCHITECTURE, ModelMetadata.CONFIG,
                ModelMetadata.FORM);
    }

    @Test
    void trainingInterface() {
        Model m = ModelFactory.randomInit(TinyConfigs.gpt2(), 1, Form.TRAINING);
        assertThat(m.graph().inputs()).extracting(Value::name).containsExactly("input_ids", "attention_mask");
        assertThat(type(m.graph().inputs().get(1))).isEqualTo(ValueType.tensor(DataType.INT64,
                Shape.of("batch_size", "sequence_length")));
        assertThat(m.graph().outputs()).extracting(Value::name).containsExactly("logits");
    }

    private static ValueType type(Value v) {
        return v.type();
    }

    private static Node node(Model m, String name) {
        return m.graph().nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + name + "; nodes: " + m.graph().nodes().stream()
                        .map(Node::name).filter(n -> n.contains("layers.0")).limit(40).toList()));
    }
}
