package io.ortune.graph.analysis;

import static io.ortune.graph.analysis.RawGraphs.input;
import static io.ortune.graph.analysis.RawGraphs.names;
import static io.ortune.graph.analysis.RawGraphs.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.List;

import org.junit.jupiter.api.Test;

class DeadCodeEliminationTest {

    @Test
    void removesNodesNoOutputNeedsAndTheirInitializers() {
        Graph g = new Graph("g");
        Value x = input(g, "x", DataType.FLOAT, 4);
        Value w = g.addInitializer(Tensor.ofFloats("w", new long[] {4}, 1, 2, 3, 4));
        Value unusedW = g.addInitializer(Tensor.ofFloats("unused", new long[] {1}, 0));
        Node live = node(g, "live", "Mul", x, w);
        Node dead1 = node(g, "dead1", "Add", x, w);
        node(g, "dead2", "Relu", dead1.output());
        g.addOutput(live.output());

        DeadCodeElimination.Result r = DeadCodeElimination.run(g);

        assertThat(r).isEqualTo(new DeadCodeElimination.Result(2, 1));
        assertThat(names(g)).containsExactly("live");
        assertThat(g.initializers()).containsOnlyKeys("w");
        assertThat(w.uses()).hasSize(1);
        assertThat(x.uses()).extracting(u -> u.node().name()).containsExactly("live");
        assertThat(unusedW.isInitializer()).isFalse();
    }

    @Test
    void keepsNodesFeedingSubgraphs() {
        Graph g = new Graph("g");
        Value x = input(g, "x", DataType.FLOAT, 4);
        Value cond = input(g, "cond", DataType.BOOL);
        Node fedOnlyToBranch = node(g, "p", "Relu", x);
        Graph then = new Graph("then");
        then.setParent(g);
        then.addOutput(node(then, "t", "Neg", fedOnlyToBranch.output()).output());
        Graph otherwise = new Graph("else");
        otherwise.setParent(g);
        otherwise.addOutput(x);
        Node branch = g.addNode("if", "", "If", List.of(cond), List.of("y"),
                List.of(new Attribute.GraphAttr("then_branch", then),
                        new Attribute.GraphAttr("else_branch", otherwise)));
        node(then, "deadInside", "Exp", x);
        g.addOutput(branch.output());

        DeadCodeElimination.Result r = DeadCodeElimination.run(g);

        assertThat(names(g)).containsExactly("p", "if");
        assertThat(names(then)).containsExactly("t");
        assertThat(r.nodes()).isEqualTo(1);
    }

    @Test
    void removingANodeWithASubgraphUnlinksItsReads() {
        Graph g = new Graph("g");
        Value x = input(g, "x", DataType.FLOAT, 4);
        Value cond = input(g, "cond", DataType.BOOL);
        Graph body = new Graph("body");
        body.setParent(g);
        body.addOutput(node(body, "inner", "Neg", x).output());
        g.addNode("deadIf", "", "If", List.of(cond), List.of("unused"),
                List.of(new Attribute.GraphAttr("then_branch", body), new Attribute.GraphAttr("else_branch", body)));
        g.addOutput(node(g, "out", "Relu", x).output());

        DeadCodeElimination.run(g);

        assertThat(x.uses()).extracting(u -> u.node().name()).containsExactly("out");
    }

    @Test
    void graphInputsStayEvenWhenUnused() {
        Graph g = new Graph("g");
        Value x = input(g, "x", DataType.FLOAT, 4);
        input(g, "unused", DataType.FLOAT, 4);
        g.addOutput(node(g, "r", "Relu", x).output());
        assertThat(DeadCodeElimination.run(g).changed()).isFalse();
        assertThat(g.inputs()).hasSize(2);
    }
}
