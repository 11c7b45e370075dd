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

/** Opset 11 → 13: axes/split attributes become initializer inputs; Softmax only along the last axis. */
class Opset13UpgradePassTest {

    private static Model opset11(Graph g) {
        Model m = new Model(g);
        m.opsetImports().put("", 11L);
        return m;
    }

    @Test
    void axesMoveToInputsAndTheOpsetBecomes13() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", ValueType.tensor(DataType.FLOAT, 2, 3));
        Node u = g.addNode("u", "", "Unsqueeze", List.of(x), List.of("xu"),
                List.of(Attribute.ints("axes", 1)));
        Node s = g.addNode("s", "", "ReduceSum", List.of(u.output()), List.of("xs"),
                List.of(Attribute.ints("axes", 2), new Attribute.IntAttr("keepdims", 0)));
        // [2, 3] -> [2, 1, 3] -> sum over axis 2 -> [2, 1]: axis 1 is the last one
        Node sm = g.addNode("sm", "", "Softmax", List.of(s.output()), List.of("y"),
                List.of(new Attribute.IntAttr("axis", 1)));
        g.addOutput(sm.output());
        Model m = opset11(g);

        PassResult r = new Opset13UpgradePass().run(m);

        assertThat(r.changed()).isTrue();
        assertThat(r.model().opsetVersion("")).isEqualTo(13);
        assertThat(m.opsetVersion("")).as("input model untouched").isEqualTo(11);
        Node u2 = r.model().graph().nodes().get(0);
        assertThat(u2.attribute("axes")).isNull();
        assertThat(u2.inputCount()).isEqualTo(2);
        assertThat(u2.input(1).constant().toLongs()).containsExactly(1);
        Node s2 = r.model().graph().nodes().get(1);
        assertThat(s2.input(1).constant().toLongs()).containsExactly(2);
        assertThat(s2.intAttr("keepdims", 1)).isZero();
    }

    @Test
    void softmaxOverANonLastAxisIsRefusedByName() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", ValueType.tensor(DataType.FLOAT, 2, 3, 4));
        Node sm = g.addNode("attn_softmax", "", "Softmax", List.of(x), List.of("y"),
                List.of(new Attribute.IntAttr("axis", 1)));
        g.addOutput(sm.output());
        assertThatThrownBy(() -> new Opset13UpgradePass().run(opset11(g)))
                .hasMessageContaining("attn_softmax").hasMessageContaining("axis 1");
    }

    @Test
    void opset13ModelsAreLeftAlone() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", ValueType.tensor(DataType.FLOAT, 2));
        g.addOutput(g.addNode("n", "", "Neg", List.of(x), List.of("y"), List.of()).output());
        Model m = new Model(g);
        m.opsetImports().put("", 13L);
        assertThat(new Opset13UpgradePass().run(m).changed()).isFalse();
    }
}
