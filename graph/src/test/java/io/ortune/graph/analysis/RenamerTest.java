package io.ortune.graph.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RenamerTest {

    private Graph g;
    private Value x;
    private Value w;
    private Value y;

    @BeforeEach
    void setUp() {
        GraphBuilder b = GraphBuilder.create("g");
        x = b.input("x", DataType.FLOAT, 4);
        w = b.initializer("w", Tensor.ofFloats("w", new long[] {4}, 1, 2, 3, 4));
        y = b.output(b.mul(x, w), "y");
        g = b.graph();
    }

    @Test
    void renamingAnInitializerRekeysIt() {
        Renamer.renameValue(g, "w", "weight");
        assertThat(g.initializers()).containsOnlyKeys("weight");
        assertThat(g.initializer("weight")).isSameAs(w);
        assertThat(w.constant().name()).isEqualTo("weight");
    }

    @Test
    void renamingAnOutputRenamesItForItsReaders() {
        Renamer.renameValue(g, "y", "logits");
        assertThat(g.outputs().get(0).name()).isEqualTo("logits");
        assertThat(y.name()).isEqualTo("logits");
    }

    @Test
    void collisionsAreRefused() {
        assertThatThrownBy(() -> Renamer.renameValue(g, "x", "w"))
                .hasMessage("cannot rename value 'x' to 'w': graph 'g' already has a value named 'w'");
        assertThat(x.name()).isEqualTo("x");
    }

    @Test
    void swapsWork() {
        Renamer.renameValues(g, Map.of("x", "w", "w", "x"));
        assertThat(x.name()).isEqualTo("w");
        assertThat(w.name()).isEqualTo("x");
        assertThat(g.initializers()).containsOnlyKeys("x");
    }

    @Test
    void twoValuesToOneNameAreRefused() {
        assertThatThrownBy(() -> Renamer.renameValues(g, Map.of("x", "z", "w", "z")))
                .hasMessage("cannot rename two values to 'z'");
    }

    @Test
    void unknownNamesAreRefused() {
        assertThatThrownBy(() -> Renamer.renameValue(g, "nope", "z"))
                .hasMessage("cannot rename value 'nope': graph 'g' has no value of that name");
    }

    @Test
    void nodesRenameWithCollisionChecks() {
        Renamer.renameNode(g, "/Mul", "scale");
        assertThat(g.nodes().get(0).name()).isEqualTo("scale");
        GraphBuilder.on(io.ortune.graph.analysis.RawGraphs.model(g)).relu(x);
        assertThatThrownBy(() -> Renamer.renameNode(g, "/Relu", "scale"))
                .hasMessageContaining("already has a node named 'scale'");
    }
}
