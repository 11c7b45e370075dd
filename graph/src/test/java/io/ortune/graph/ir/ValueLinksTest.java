package io.ortune.graph.ir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Renaming and replacing values keep every index of the graph right (the IR's two classic foot-guns). */
class ValueLinksTest {

    private static final ValueType F2 = ValueType.tensor(DataType.FLOAT, Shape.of(2));

    private static Tensor t(String name) {
        return Tensor.ofFloats(name, new long[] {2}, 1, 2);
    }

    @Test
    void renamingAnInitializerRekeysTheGraphsInitializerMap() {
        Graph g = new Graph("g");
        Value a = g.addInitializer(t("a"));
        Value b = g.addInitializer(t("b"));
        a.setName("w");
        assertThat(g.initializer("w")).isSameAs(a);
        assertThat(g.initializer("a")).isNull();
        assertThat(g.initializers().keySet()).containsExactly("w", "b");
        assertThat(a.constant().name()).isEqualTo("w");
        g.removeInitializer(a);
        assertThat(g.initializers().keySet()).containsExactly("b");
        assertThat(g.initializer("b")).isSameAs(b);
    }

    @Test
    void renamingThroughTheGraphIsTheSame() {
        Graph g = new Graph("g");
        Value a = g.addInitializer(t("a"));
        g.rename(a, "z");
        assertThat(g.initializers()).containsOnlyKeys("z");
        assertThat(a.name()).isEqualTo("z");
    }

    @Test
    void renamingAnInitializerOntoAnotherIsRefusedWithBothNames() {
        Graph g = new Graph("g");
        Value a = g.addInitializer(t("a"));
        g.addInitializer(t("b"));
        assertThatThrownBy(() -> a.setName("b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot rename initializer 'a' to 'b': graph 'g' already has an initializer of that name");
        assertThat(g.initializers().keySet()).containsExactly("a", "b");
        assertThat(a.name()).isEqualTo("a");
    }

    @Test
    void replaceAllUsesWithAlsoReplacesGraphOutputs() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", F2);
        Node relu = g.addNode("relu", "", "Relu", List.of(x), List.of("r"), List.of());
        Node neg = g.addNode("neg", "", "Neg", List.of(relu.output()), List.of("n"), List.of());
        g.addOutput(relu.output());
        g.addOutput(neg.output());
        g.addOutput(relu.output());
        Node tanh = g.addNode("tanh", "", "Tanh", List.of(x), List.of("t"), List.of());

        relu.output().replaceAllUsesWith(tanh.output());

        assertThat(g.outputs()).containsExactly(tanh.output(), neg.output(), tanh.output());
        assertThat(neg.input(0)).isSameAs(tanh.output());
        assertThat(relu.output().uses()).isEmpty();
        assertThat(relu.output().isGraphOutput()).isFalse();
        assertThat(tanh.output().isGraphOutput()).isTrue();
    }

    @Test
    void graphOutputTrackingFollowsEveryOutputEdit() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", F2);
        Value y = g.addInput("y", F2);
        g.addOutput(x);
        g.replaceOutput(0, y);
        assertThat(x.isGraphOutput()).isFalse();
        Value z = g.addInput("z", F2);
        x.replaceAllUsesWith(z);
        assertThat(g.outputs()).containsExactly(y);
        g.removeOutput(y);
        assertThat(y.isGraphOutput()).isFalse();
        g.addOutput(z);
        g.clearOutputs();
        assertThat(z.isGraphOutput()).isFalse();
    }

    @Test
    void replacingASubgraphOutputLeavesTheParentAlone() {
        Graph outer = new Graph("outer");
        Graph inner = new Graph("inner");
        inner.setParent(outer);
        Value x = outer.addInput("x", F2);
        outer.addOutput(x);
        inner.addOutput(x);
        Value y = inner.addInput("y", F2);
        // A value listed by two graphs is replaced in both: replaceAllUsesWith means every use.
        x.replaceAllUsesWith(y);
        assertThat(outer.outputs()).containsExactly(y);
        assertThat(inner.outputs()).containsExactly(y);
    }
}
