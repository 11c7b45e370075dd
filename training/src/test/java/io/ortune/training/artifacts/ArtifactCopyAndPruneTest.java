package io.ortune.training.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.analysis.DeadCodeElimination;
import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Deep copies keep every link (including values read from inside subgraphs) and share no structure. */
class ArtifactCopyAndPruneTest {

    /** x -> Relu -> h; If(cond) { then: Neg(h) } { else: Identity(h) } -> out; plus a dead Sigmoid(x). */
    static Model withSubgraph() {
        Graph g = new Graph("main");
        Value x = g.addInput("x", ValueType.tensor(DataType.FLOAT, 2));
        Value cond = g.addInput("cond", ValueType.tensor(DataType.BOOL));
        Value scale = g.addInitializer(Tensor.ofFloats("scale", new long[] {2}, 1f, 2f));
        Value h = g.addNode("relu", "", "Relu", List.of(x), List.of("h"), List.of()).output(0);
        Graph then = new Graph("then");
        Value neg = then.addNode("neg", "", "Neg", List.of(h), List.of("neg_h"), List.of()).output(0);
        then.addOutput(neg);
        Graph otherwise = new Graph("else");
        Value id = otherwise.addNode("mul", "", "Mul", List.of(h, scale), List.of("scaled_h"), List.of()).output(0);
        otherwise.addOutput(id);
        Node iff = g.addNode("if", "", "If", List.of(cond), List.of("out"),
                List.of(new Attribute.GraphAttr("then_branch", then), new Attribute.GraphAttr("else_branch", otherwise)));
        g.addNode("dead", "", "Sigmoid", List.of(x), List.of("unused"), List.of());
        g.addOutput(iff.output(0));
        Model m = new Model(g);
        m.opsetImports().put("", 17L);
        return m;
    }

    @Test
    void copiesSubgraphsAndRelinksOuterValues() {
        Model src = withSubgraph();
        GraphCopier.Mapped copy = GraphCopier.copyWithMapping(src);
        Graph g = copy.model().graph();
        assertThat(g).isNotSameAs(src.graph());
        assertThat(g.nodes()).extracting(Node::name).containsExactly("relu", "if", "dead");
        Value h = g.nodes().get(0).output(0);
        Node iff = g.nodes().get(1);
        Graph then = iff.subgraphs().get(0);
        assertThat(then.parent()).isSameAs(g);
        assertThat(then.nodes().get(0).input(0)).isSameAs(h);
        assertThat(h.consumers()).hasSize(2); // Neg in then, Mul in else
        assertThat(copy.map(src.graph().outputs().get(0))).isSameAs(g.outputs().get(0));
        assertThat(g.initializer("scale").constant()).isSameAs(src.graph().initializer("scale").constant());
        assertThat(copy.model().opsetImports()).containsEntry("", 17L);
    }

    @Test
    void pruningKeepsWhatSubgraphsReadAndDropsTheRest() {
        Model m = GraphCopier.copy(withSubgraph());
        Graph g = m.graph();
        DeadCodeElimination.Result removed = DeadCodeElimination.run(g);
        assertThat(removed.nodes()).isEqualTo(1);
        assertThat(g.nodes()).extracting(Node::name).containsExactly("relu", "if");
        assertThat(removed.initializers()).isZero(); // 'scale' is read by the else branch
    }
}
