package io.ortune.graph.pass;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LegacyOpsetUpgradePassTest {

    private static Model opset6(Graph g) {
        Model m = new Model(g);
        m.setIrVersion(3);
        m.opsetImports().put("", 6L);
        return m;
    }

    @Test
    void axisBroadcastGetsTrailingOnesAndOpsetBecomesSeven() {
        Graph g = new Graph("g");
        Value a = g.addInput("a", ValueType.tensor(DataType.FLOAT, 2, 3, 4));
        Value b = g.addInitializer(Tensor.ofFloats("b", new long[] {3}, 1, 2, 3));
        Node add = g.addNode("add", "", "Add", List.of(a, b), List.of("y"),
                List.of(new Attribute.IntAttr("broadcast", 1), new Attribute.IntAttr("axis", 1)));
        g.addOutput(add.output());
        Model m = opset6(g);

        PassResult r = new LegacyOpsetUpgradePass().run(m);

        assertThat(r.changed()).isTrue();
        assertThat(r.model().opsetVersion("")).isEqualTo(7);
        Node upgraded = r.model().graph().nodes().get(0);
        assertThat(upgraded.attributes()).isEmpty();
        assertThat(upgraded.input(1).constant().dims()).containsExactly(3, 1);
        assertThat(upgraded.input(1).constant().toFloats()).containsExactly(1, 2, 3);
        assertThat(m.opsetVersion("")).as("input model untouched").isEqualTo(6);
        assertThat(m.graph().nodes().get(0).attributes()).hasSize(2);
    }

    @Test
    void perChannelPreluSlopeBecomesChannelShaped() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", ValueType.tensor(DataType.FLOAT, 2, 3, 4, 5));
        Value slope = g.addInitializer(Tensor.ofFloats("slope", new long[] {3}, .1f, .2f, .3f));
        Node prelu = g.addNode("p", "", "PRelu", List.of(x, slope), List.of("y"), List.of());
        g.addOutput(prelu.output());

        Model out = new LegacyOpsetUpgradePass().run(opset6(g)).model();

        assertThat(out.graph().nodes().get(0).input(1).constant().dims()).containsExactly(3, 1, 1);
    }

    @Test
    void isTestIsDroppedFromBatchNormAndDropout() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", ValueType.tensor(DataType.FLOAT, 1, 2));
        Node drop = g.addNode("d", "", "Dropout", List.of(x), List.of("y"),
                List.of(new Attribute.IntAttr("is_test", 1), new Attribute.FloatAttr("ratio", .5f)));
        g.addOutput(drop.output());

        Node upgraded = new LegacyOpsetUpgradePass().run(opset6(g)).model().graph().nodes().get(0);

        assertThat(upgraded.attributes()).containsOnlyKeys("ratio");
    }

    @Test
    void modernModelIsLeftAlone() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", ValueType.tensor(DataType.FLOAT, 2));
        g.addOutput(g.addNode("n", "", "Relu", List.of(x), List.of("y"), List.of()).output());
        Model m = new Model(g);
        m.opsetImports().put("", 13L);

        PassResult r = new LegacyOpsetUpgradePass().run(m);

        assertThat(r.changed()).isFalse();
        assertThat(r.model()).isSameAs(m);
    }

    @Test
    void nonConstantLegacyBroadcastIsRefusedNamingTheNode() {
        Graph g = new Graph("g");
        Value a = g.addInput("a", ValueType.tensor(DataType.FLOAT, 2, 3, 4));
        Value b = g.addInput("b", ValueType.tensor(DataType.FLOAT, 3));
        g.addOutput(g.addNode("mul1", "", "Mul", List.of(a, b), List.of("y"),
                List.of(new Attribute.IntAttr("broadcast", 1), new Attribute.IntAttr("axis", 1))).output());

        assertThatThrownBy(() -> new LegacyOpsetUpgradePass().run(opset6(g)))
                .hasMessageContaining("Mul 'mul1'")
                .hasMessageContaining("non-constant input 'b'");
    }
}
