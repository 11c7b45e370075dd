package io.ortune.graph.pass;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Opset 11 → 13: attributes that became inputs, and the Softmax axis rule. (ONNX Runtime running an upgraded real
 * export identically is checked in the export module's MiniLM adapter test.)
 */
class Opset13UpgradePassTest {

    private static Model opset(Graph g, long v) {
        Model m = new Model(g);
        m.setIrVersion(6);
        m.opsetImports().put("", v);
        return m;
    }

    @Test
    void axesAndSplitBecomeInputsAndLastAxisSoftmaxIsKept() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", ValueType.tensor(DataType.FLOAT, 2, 6));
        Node u = g.addNode("u", "", "Unsqueeze", List.of(x), List.of("u_out"),
                List.of(Attribute.ints("axes", 0)));
        Node sum = g.addNode("sum", "", "ReduceSum", List.of(u.output()), List.of("s_out"),
                List.of(Attribute.ints("axes", 0), new Attribute.IntAttr("keepdims", 0)));
        Node split = g.addNode("split", "", "Split", List.of(sum.output()), List.of("a", "b"),
                List.of(new Attribute.IntAttr("axis", 1), Attribute.ints("split", 2, 4)));
        Node sm = g.addNode("sm", "", "Softmax", List.of(split.output(1)), List.of("y"),
                List.of(new Attribute.IntAttr("axis", -1)));
        g.addOutput(split.output(0));
        g.addOutput(sm.output());
        Model m = opset(g, 11);

        PassResult r = new Opset13UpgradePass().run(m);

        assertThat(r.changed()).isTrue();
        assertThat(r.model().opsetVersion("")).isEqualTo(13);
        List<Node> nodes = r.model().graph().nodes();
        assertThat(nodes.get(0).attributes()).isEmpty();
        assertThat(nodes.get(0).input(1).constant().toLongs()).containsExactly(0);
        assertThat(nodes.get(1).input(1).constant().toLongs()).containsExactly(0);
        assertThat(nodes.get(1).intAttr("keepdims", 1)).isZero();
        assertThat(nodes.get(2).input(1).constant().toLongs()).containsExactly(2, 4);
        assertThat(nodes.get(2).attribute("split")).isNull();
        assertThat(nodes.get(3).intAttr("axis", 0)).isEqualTo(1);
        assertThat(m.opsetVersion("")).as("input model untouched").isEqualTo(11);
        assertThat(m.graph().nodes().get(0).attributes()).hasSize(1);
    }

    @Test
    void softmaxOverSeveralAxesIsRefusedNamingTheNode() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", ValueType.tensor(DataType.FLOAT, 2, 3, 4));
        Node sm = g.addNode("scores", "", "Softmax", List.of(x), List.of("y"), List.of());
        g.addOutput(sm.output());
        assertThatThrownBy(() -> new Opset13UpgradePass().run(opset(g, 11)))
                .hasMessageContaining("node 'scores' (Softmax) normalizes over axes 1..2 of a rank-3 input");
    }

    @Test
    void otherOpsetsAreLeftAlone() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", ValueType.tensor(DataType.FLOAT, 2));
        g.addOutput(g.addNode("n", "", "Neg", List.of(x), List.of("y"), List.of()).output());
        assertThat(new Opset13UpgradePass().run(opset(g, 17)).changed()).isFalse();
        assertThat(new Opset13UpgradePass().run(opset(g, 9)).changed()).isFalse();
    }
}
