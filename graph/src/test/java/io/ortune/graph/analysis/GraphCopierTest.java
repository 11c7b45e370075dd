package io.ortune.graph.analysis;

import static io.ortune.graph.analysis.RawGraphs.input;
import static io.ortune.graph.analysis.RawGraphs.names;
import static io.ortune.graph.analysis.RawGraphs.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.List;

import org.junit.jupiter.api.Test;

class GraphCopierTest {

    private static Model small() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, "batch", 4);
        Value w = b.initializer("w", Tensor.ofFloats("w", new long[] {4, 4}, new float[16]));
        b.output(b.relu(b.matMul(x, w)), "y");
        b.model().metadataProps().put("k", "v");
        b.model().opsetImports().put("com.microsoft", 1L);
        return b.model();
    }

    @Test
    void copyHasTheSameStructure() {
        Model m = small();
        Model c = GraphCopier.copy(m);
        assertThat(names(c.graph())).isEqualTo(names(m.graph()));
        assertThat(c.graph().initializers()).containsOnlyKeys("w");
        assertThat(c.graph().outputs().get(0).name()).isEqualTo("y");
        assertThat(String.valueOf(c.graph().outputs().get(0).type())).isEqualTo("float[batch,4]");
        assertThat(c.opsetImports()).isEqualTo(m.opsetImports());
        assertThat(c.metadataProps()).containsEntry("k", "v");
        assertThat(c.graph().nodes().get(1).input(0)).isSameAs(c.graph().nodes().get(0).output());
    }

    @Test
    void mutatingTheCopyLeavesTheOriginalUntouched() {
        Model m = small();
        Value originalX = m.graph().inputs().get(0);
        Model c = GraphCopier.copy(m);
        Graph cg = c.graph();

        Node relu = cg.nodes().get(1);
        relu.output().setName("renamed");
        cg.nodes().get(0).setName("changed");
        cg.replaceOutput(0, cg.nodes().get(0).output());
        cg.removeNode(relu);
        cg.removeInitializer(cg.initializer("w"));
        c.opsetImports().clear();
        c.metadataProps().clear();

        Graph g = m.graph();
        assertThat(names(g)).containsExactly("/MatMul", "/Relu");
        assertThat(g.outputs().get(0).name()).isEqualTo("y");
        assertThat(g.initializers()).containsOnlyKeys("w");
        assertThat(g.initializer("w").uses()).hasSize(1);
        assertThat(originalX.uses()).extracting(u -> u.node().name()).containsExactly("/MatMul");
        assertThat(m.opsetImports()).containsKeys("", "com.microsoft");
        assertThat(m.metadataProps()).containsEntry("k", "v");
    }

    @Test
    void subgraphReadsAreRelinkedToTheCopy() {
        Graph g = new Graph("g");
        Value x = input(g, "x", DataType.FLOAT, 4);
        Node p = node(g, "p", "Relu", x);
        Graph then = new Graph("then");
        then.setParent(g);
        then.addOutput(node(then, "t", "Neg", p.output()).output());
        g.addNode("if", "", "If", List.of(input(g, "c", DataType.BOOL)), List.of("y"),
                List.of(new Attribute.GraphAttr("then_branch", then), new Attribute.GraphAttr("else_branch", then)));
        Model copy = GraphCopier.copy(RawGraphs.model(g));

        Node ifCopy = copy.graph().nodes().get(1);
        Graph thenCopy = ifCopy.subgraphs().get(0);
        assertThat(thenCopy).isNotSameAs(then);
        assertThat(thenCopy.parent()).isSameAs(copy.graph());
        assertThat(thenCopy.nodes().get(0).input(0)).isSameAs(copy.graph().nodes().get(0).output());
        assertThat(p.output().uses()).hasSize(1);
    }

    @Test
    void unsortedGraphsCopyWithTheirLinks() {
        Graph g = new Graph("g");
        Value x = input(g, "x", DataType.FLOAT, 4);
        Node a = node(g, "a", "Relu", x);
        Node b = node(g, "b", "Neg", a.output());
        g.reorderNodes(List.of(b, a));
        Graph c = GraphCopier.copy(g);
        assertThat(names(c)).containsExactly("b", "a");
        assertThat(c.nodes().get(0).input(0)).isSameAs(c.nodes().get(1).output());
    }

    @Test
    void danglingReadsBecomeDetachedCopies() {
        Graph g = new Graph("g");
        Value nowhere = new Value("ghost", null);
        node(g, "a", "Relu", nowhere);
        Graph c = GraphCopier.copy(g);
        Value copied = c.nodes().get(0).input(0);
        assertThat(copied).isNotSameAs(nowhere);
        assertThat(copied.name()).isEqualTo("ghost");
        assertThat(nowhere.uses()).hasSize(1);
    }
}
