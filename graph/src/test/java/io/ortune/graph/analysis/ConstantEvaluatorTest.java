package io.ortune.graph.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.List;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;

/** Closed-form results of the folding evaluator, through whole-graph folds of tiny constant inputs. */
class ConstantEvaluatorTest {

    private static final Tensor M = Tensor.ofLongs("m", new long[] {2, 3}, 1, 2, 3, 4, 5, 6);

    private static Tensor fold(BiFunction<GraphBuilder, Value, Value> f) {
        GraphBuilder b = GraphBuilder.create("g");
        Value m = b.constant(M);
        b.output(f.apply(b, m), "y");
        ConstantFolder.fold(b.graph());
        Value y = b.graph().outputs().get(0);
        assertThat(y.producer().opType()).as("folded to a constant").isEqualTo("Constant");
        return ConstantValues.of(y);
    }

    @Test
    void gatherColumnsWithNegativeIndex() {
        Tensor t = fold((b, m) -> b.gather(m, b.constLongs(-1, 0), 1));
        assertThat(t.dims()).containsExactly(2, 2);
        assertThat(t.toLongs()).containsExactly(3, 1, 6, 4);
    }

    @Test
    void concatOnTheLastAxis() {
        Tensor t = fold((b, m) -> b.concat(1, m, b.constant(Tensor.ofLongs("c", new long[] {2, 1}, 7, 8))));
        assertThat(t.dims()).containsExactly(2, 4);
        assertThat(t.toLongs()).containsExactly(1, 2, 3, 7, 4, 5, 6, 8);
    }

    @Test
    void sliceWithANegativeStep() {
        Tensor t = fold((b, m) -> b.slice(m, new long[] {-1}, new long[] {Long.MIN_VALUE}, new long[] {1},
                new long[] {-1}));
        assertThat(t.toLongs()).containsExactly(3, 2, 1, 6, 5, 4);
    }

    @Test
    void reshapeWithZeroAndMinusOne() {
        Tensor t = fold((b, m) -> b.reshape(m, 0, -1, 1));
        assertThat(t.dims()).containsExactly(2, 3, 1);
    }

    @Test
    void integerDivisionTruncates() {
        Tensor t = fold((b, m) -> b.div(b.sub(b.constLong(0), m), b.constLong(4)));
        assertThat(t.toLongs()).containsExactly(0, 0, 0, -1, -1, -1);
    }

    @Test
    void castToFloatAndBack() {
        Tensor t = fold((b, m) -> b.cast(b.mul(b.cast(m, DataType.FLOAT), b.constFloat(0.5f)), DataType.INT32));
        assertThat(t.toInts()).containsExactly(0, 1, 1, 2, 2, 3);
    }

    @Test
    void equalGivesBools() {
        Tensor t = fold((b, m) -> b.equal(m, b.constLong(2)));
        assertThat(t.dtype()).isEqualTo(DataType.BOOL);
        assertThat(t.toLongsWidening()).containsExactly(0, 1, 0, 0, 0, 0);
    }

    @Test
    void sizeAndConstantOfShape() {
        Tensor t = fold((b, m) -> b.constantOfShape(b.unsqueeze(b.size(m), 0),
                Tensor.ofLongs("v", new long[] {1}, 7)));
        assertThat(t.toLongs()).containsExactly(7, 7, 7, 7, 7, 7);
    }

    /** A node the builder would refuse, made directly in the IR (as a model read from a file may have it). */
    private static Graph malformed(String op, long axis) {
        Graph g = new Graph("g");
        Value m = g.addInitializer(M);
        Node n = op.equals("Unsqueeze")
                ? g.addNode("bad", "", "Unsqueeze", List.of(m, g.addInitializer(Tensor.ofLongs("axes", new long[] {1},
                        axis))), List.of("y"), List.of())
                : g.addNode("bad", "", "Gather", List.of(m, g.addInitializer(Tensor.ofLongs("i", new long[] {1}, 0))),
                        List.of("y"), List.of(new io.ortune.graph.ir.Attribute.IntAttr("axis", axis)));
        g.addOutput(n.output());
        return g;
    }

    @Test
    void aMalformedNodeFailsNamingItInsteadOfStayingUnfolded() {
        assertThatThrownBy(() -> ConstantFolder.fold(malformed("Unsqueeze", 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node 'bad' (Unsqueeze): cannot evaluate it on its constant inputs: axis 5 is out of range "
                        + "for rank 3");
        assertThatThrownBy(() -> ConstantFolder.fold(malformed("Gather", 2)))
                .hasMessage("node 'bad' (Gather): cannot evaluate it on its constant inputs: axis 2 is out of range for "
                        + "rank 2");
    }

    @Test
    void unsupportedCasesStayUnfoldedWithoutError() {
        GraphBuilder b = GraphBuilder.create("g");
        Value m = b.constant(M);
        b.output(b.div(m, b.constLong(0)), "y");
        ConstantFolder.Result r = ConstantFolder.fold(b.graph());
        assertThat(b.graph().outputs().get(0).producer().opType()).as("integer division by zero").isEqualTo("Div");
        assertThat(r.foldedNodes()).isZero();
    }
}
