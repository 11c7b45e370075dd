package io.ortune.graph.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import org.junit.jupiter.api.Test;

class ConstantFolderTest {

    /** {@code reshape(x, concat(unsqueeze(gather(shape(x), 0)), [-1]))}: flatten all but the first dim. */
    private static Value flattenByShape(GraphBuilder b, Value x) {
        Value batch = b.unsqueeze(b.gather(b.shape(x), b.constLong(0), 0), 0);
        return b.reshape(x, b.concat(0, batch, b.constLongs(-1)));
    }

    @Test
    void shapeChainOfAStaticInputFoldsToOneConstant() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, 2, 3, 4);
        Value y = b.output(flattenByShape(b, x), "y");
        Graph g = b.graph();

        ConstantFolder.Result r = ConstantFolder.fold(g);

        assertThat(r).isEqualTo(new ConstantFolder.Result(4, 1));
        assertThat(g.nodes()).extracting(Node::opType).containsExactly("Constant", "Reshape");
        Tensor shape = ConstantValues.of(y.producer().input(1));
        assertThat(shape.toLongs()).containsExactly(2, -1);
        assertThat(y.producer().input(1).name()).isEqualTo("/Concat_output_0");
    }

    @Test
    void chainOverAnInitializerFoldsEntirely() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.initializer("x", Tensor.ofFloats("x", new long[] {2, 3}, 1, 2, 3, 4, 5, 6));
        Value y = b.output(flattenByShape(b, b.unsqueeze(x, 0)), "y");
        Graph g = b.graph();

        ConstantFolder.fold(g);

        assertThat(g.nodes()).extracting(Node::opType).containsExactly("Constant");
        assertThat(g.outputs().get(0).name()).isEqualTo("y");
        Tensor t = ConstantValues.of(g.outputs().get(0));
        assertThat(t.dims()).containsExactly(1, 6);
        assertThat(t.toFloats()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(y.producer()).isNotNull();
    }

    @Test
    void symbolicShapesAreNotFolded() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, "batch", 3, 4);
        b.output(flattenByShape(b, x), "y");
        assertThat(ConstantFolder.fold(b.graph()).changed()).isFalse();
    }

    @Test
    void overridableInitializersAreNotFolded() {
        GraphBuilder b = GraphBuilder.create("g");
        Value k = b.initializer("k", Tensor.scalarLong("k", 3));
        b.graph().addInput(k);
        b.output(b.add(k, b.constLong(1)), "y");
        assertThat(ConstantFolder.fold(b.graph()).changed()).isFalse();
    }

    @Test
    void resultsOverTheLimitAreNotProduced() {
        GraphBuilder b = GraphBuilder.create("g");
        b.output(b.constantOfShape(b.constLongs(1000, 1000), Tensor.ofFloats("v", new long[] {1}, 1f)), "y");
        assertThat(ConstantFolder.fold(b.graph(), 1 << 16).changed()).isFalse();
        assertThat(ConstantFolder.fold(b.graph(), 1 << 20).changed()).isTrue();
    }

    @Test
    void causalMaskFoldsWithRangeLessWhere() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, 1, 3, 8);
        Value n = b.squeeze(b.shape(x, 1, 2), 0);
        Value pos = b.range(b.constLong(0), n, b.constLong(1));
        Value future = b.greater(b.unsqueeze(pos, 0), b.unsqueeze(pos, 1));
        Value mask = b.where(future, b.constFloat(Float.NEGATIVE_INFINITY), b.constFloat(0));
        b.output(b.add(x, mask), "y");

        ConstantFolder.fold(b.graph());

        Value folded = b.graph().outputs().get(0).producer().input(1);
        Tensor t = ConstantValues.of(folded);
        float inf = Float.NEGATIVE_INFINITY;
        assertThat(t.dims()).containsExactly(3, 3);
        assertThat(t.toFloats()).containsExactly(0, inf, inf, 0, 0, inf, 0, 0, 0);
    }

    @Test
    void subgraphsAreFoldedToo() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        Graph body = new Graph("then");
        body.setParent(b.graph());
        Node shape = body.addNode("s", "", "Shape", java.util.List.of(x), java.util.List.of("s_out"), null);
        body.addOutput(shape.output());
        b.graph().addNode("if", "", "If", java.util.List.of(b.input("c", DataType.BOOL)), java.util.List.of("y"),
                java.util.List.of(new io.ortune.graph.ir.Attribute.GraphAttr("then_branch", body),
                        new io.ortune.graph.ir.Attribute.GraphAttr("else_branch", body)));
        assertThat(ConstantFolder.fold(b.graph()).foldedNodes()).isEqualTo(1);
        assertThat(body.nodes()).extracting(Node::opType).containsExactly("Constant");
    }
}
