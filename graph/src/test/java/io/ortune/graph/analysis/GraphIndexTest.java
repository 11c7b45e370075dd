package io.ortune.graph.analysis;

import static io.ortune.graph.analysis.RawGraphs.input;
import static io.ortune.graph.analysis.RawGraphs.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.List;

import org.junit.jupiter.api.Test;

class GraphIndexTest {

    @Test
    void producersConsumersAndNames() {
        Graph g = new Graph("g");
        Value x = input(g, "x", DataType.FLOAT, 4);
        Node a = node(g, "a", "Relu", x);
        Node b = node(g, "b", "Add", a.output(), a.output());
        Node c = node(g, "c", "Neg", a.output());
        g.addOutput(b.output());

        GraphIndex idx = GraphIndex.of(g);

        assertThat(idx.value("a_out")).isSameAs(a.output());
        assertThat(idx.node("c")).isSameAs(c);
        assertThat(idx.producer(a.output())).isSameAs(a);
        assertThat(idx.producer(x)).isNull();
        assertThat(idx.consumers(a.output())).containsExactly(b, c);
        assertThat(idx.successors(a)).containsExactly(b, c);
        assertThat(idx.predecessors(b)).containsExactly(a);
        assertThat(idx.isGraphOutput(b.output())).isTrue();
        assertThat(idx.position(c)).isEqualTo(2);
    }

    @Test
    void aNodeWhoseSubgraphReadsAValueConsumesIt() {
        Graph g = new Graph("g");
        Value x = input(g, "x", DataType.FLOAT, 4);
        Graph body = new Graph("body");
        body.setParent(g);
        body.addOutput(node(body, "inner", "Neg", x).output());
        Node loop = g.addNode("if", "", "If", List.of(input(g, "c", DataType.BOOL)), List.of("y"),
                List.of(new Attribute.GraphAttr("then_branch", body), new Attribute.GraphAttr("else_branch", body)));
        assertThat(GraphIndex.of(g).consumers(x)).containsExactly(loop);
        assertThat(GraphWalk.outerReads(loop)).containsExactly(x);
    }
}
