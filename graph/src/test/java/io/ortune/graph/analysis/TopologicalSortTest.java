package io.ortune.graph.analysis;

import static io.ortune.graph.analysis.RawGraphs.input;
import static io.ortune.graph.analysis.RawGraphs.names;
import static io.ortune.graph.analysis.RawGraphs.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TopologicalSortTest {

    /** A chain a -> b -> c -> d plus a side branch e reading a, f reading c and e. */
    private static Graph diamond() {
        Graph g = new Graph("g");
        Value x = input(g, "x", DataType.FLOAT, 4);
        Node a = node(g, "a", "Relu", x);
        Node b = node(g, "b", "Neg", a.output());
        Node c = node(g, "c", "Abs", b.output());
        Node d = node(g, "d", "Exp", c.output());
        Node e = node(g, "e", "Sqrt", a.output());
        Node f = node(g, "f", "Add", c.output(), e.output());
        g.addOutput(d.output());
        g.addOutput(f.output());
        return g;
    }

    private static boolean isTopological(List<Node> order) {
        for (int i = 0; i < order.size(); i++) {
            for (Value v : GraphWalk.dependencies(order.get(i))) {
                if (v.producer() != null && order.indexOf(v.producer()) > i) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void sortedGraphKeepsItsOrder() {
        Graph g = diamond();
        assertThat(TopologicalSort.order(g)).isEqualTo(g.nodes());
        assertThat(TopologicalSort.sort(g)).isFalse();
    }

    @Test
    void shuffledGraphIsSorted() {
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            Graph g = diamond();
            List<Node> shuffled = new ArrayList<>(g.nodes());
            Collections.shuffle(shuffled, random);
            g.reorderNodes(shuffled);
            TopologicalSort.sort(g);
            assertThat(isTopological(g.nodes())).as("round %d: %s", round, names(g)).isTrue();
        }
    }

    @Test
    void readyNodesKeepTheirRelativeOrder() {
        Graph g = diamond();
        List<Node> n = new ArrayList<>(g.nodes());
        g.reorderNodes(List.of(n.get(4), n.get(5), n.get(0), n.get(1), n.get(2), n.get(3)));
        TopologicalSort.sort(g);
        assertThat(names(g)).containsExactly("a", "e", "b", "c", "f", "d");
    }

    @Test
    void cycleIsReportedWithItsNodes() {
        Graph g = new Graph("main");
        Value x = input(g, "x", DataType.FLOAT, 4);
        Node a = node(g, "a", "Add", x, x);
        Node b = node(g, "b", "Mul", a.output(), x);
        Node c = node(g, "c", "Neg", b.output());
        a.setInput(1, c.output());
        node(g, "after", "Relu", c.output());
        assertThatThrownBy(() -> TopologicalSort.order(g)).isInstanceOf(CycleException.class)
                .hasMessage("graph 'main' has a cycle: Add 'a' -> Mul 'b' -> Neg 'c' -> Add 'a' (4 nodes cannot be "
                        + "ordered)");
    }

    @Test
    void selfLoopIsACycle() {
        Graph g = new Graph("g");
        Node a = node(g, "a", "Relu", input(g, "x", DataType.FLOAT, 1));
        a.setInput(0, a.output());
        CycleException e = org.junit.jupiter.api.Assertions.assertThrows(CycleException.class,
                () -> TopologicalSort.order(g));
        assertThat(e.cycle()).containsExactly(a);
    }

    @Test
    void subgraphReadsOfOuterValuesAreDependencies() {
        Graph g = new Graph("g");
        Value x = input(g, "x", DataType.FLOAT, 4);
        Value cond = input(g, "cond", DataType.BOOL);
        Graph then = new Graph("then");
        then.setParent(g);
        Graph otherwise = new Graph("else");
        otherwise.setParent(g);
        Node branch = g.addNode("if", "", "If", List.of(cond), List.of("y"),
                List.of(new Attribute.GraphAttr("then_branch", then),
                        new Attribute.GraphAttr("else_branch", otherwise)));
        Node producer = node(g, "p", "Relu", x);
        then.addOutput(node(then, "t", "Neg", producer.output()).output());
        otherwise.addOutput(producer.output());

        TopologicalSort.sort(g);
        assertThat(names(g)).containsExactly("p", "if");
        assertThat(branch.graph()).isSameAs(g);
    }
}
