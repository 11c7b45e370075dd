package io.ortune.graph.validate;

import static io.ortune.graph.analysis.RawGraphs.input;
import static io.ortune.graph.analysis.RawGraphs.model;
import static io.ortune.graph.analysis.RawGraphs.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.validate.ValidationIssue.Kind;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelValidatorTest {

    private Graph g;
    private Model m;
    private Value x;

    @BeforeEach
    void setUp() {
        g = new Graph("main");
        m = model(g);
        x = input(g, "x", DataType.FLOAT, 2, 3);
    }

    private ValidationIssue only(Kind kind) {
        ValidationReport r = ModelValidator.validate(m);
        assertThat(r.ofKind(kind)).as(r.toString()).hasSize(1);
        return r.ofKind(kind).get(0);
    }

    @Test
    void aBuiltModelIsValid() {
        GraphBuilder b = GraphBuilder.create("g");
        Value in = b.input("x", DataType.FLOAT, "batch", 4);
        b.output(b.softmax(b.matMul(in, b.initializer("w", Tensor.ofFloats("w", new long[] {4, 2},
                new float[8]))), -1), "y");
        ValidationReport r = ModelValidator.validateOrThrow(b.model());
        assertThat(r.issues()).isEmpty();
        assertThat(r).hasToString("model is valid");
    }

    @Test
    void cycle() {
        Node a = node(g, "a", "Add", x, x);
        Node b = node(g, "b", "Relu", a.output());
        a.setInput(1, b.output());
        g.addOutput(b.output());
        assertThat(only(Kind.CYCLE).message())
                .isEqualTo("graph 'main' has a cycle: Add 'a' -> Relu 'b' -> Add 'a' (2 nodes cannot be ordered)");
    }

    @Test
    void danglingInput() {
        Node a = node(g, "a", "Add", x, new Value("ghost", null));
        g.addOutput(a.output());
        ValidationIssue issue = only(Kind.DANGLING_INPUT);
        assertThat(issue.subject()).isEqualTo("a");
        assertThat(issue.message()).isEqualTo("node Add 'a' input 1 reads 'ghost', which no node, graph input or "
                + "initializer of graph 'main' (or an enclosing graph) produces");
    }

    @Test
    void inputWhoseProducerWasRemoved() {
        Node gone = node(g, "gone", "Relu", x);
        Node a = node(g, "a", "Neg", gone.output());
        g.addOutput(a.output());
        g.removeNode(gone);
        assertThat(only(Kind.DANGLING_INPUT).message())
                .isEqualTo("node Neg 'a' input 0 reads 'gone_out', whose producer Relu 'gone' is not in graph 'main' "
                        + "or an enclosing graph");
    }

    @Test
    void outputNotProduced() {
        g.addOutput(new Value("y", null));
        assertThat(only(Kind.OUTPUT_NOT_PRODUCED).message())
                .isEqualTo("graph 'main' output 'y' is not produced by any node, graph input or initializer");
    }

    @Test
    void duplicateValueNames() {
        Node a = node(g, "a", "Relu", x);
        Node b = g.addNode("b", "", "Neg", List.of(x), List.of("a_out"), null);
        g.addOutput(a.output());
        g.addOutput(b.output());
        assertThat(only(Kind.DUPLICATE_VALUE_NAME).message())
                .isEqualTo("value name 'a_out' is used by 2 values: output 0 of Relu 'a', output 0 of Neg 'b'");
    }

    @Test
    void valueNameReusedInsideASubgraph() {
        Graph body = new Graph("body");
        body.setParent(g);
        body.addOutput(body.addNode("inner", "", "Neg", List.of(x), List.of("x"), null).output());
        Node branch = g.addNode("if", "", "If", List.of(input(g, "c", DataType.BOOL)), List.of("y"),
                List.of(new Attribute.GraphAttr("then_branch", body), new Attribute.GraphAttr("else_branch", body)));
        g.addOutput(branch.output());
        assertThat(only(Kind.DUPLICATE_VALUE_NAME).message())
                .isEqualTo("value name 'x' is used by 2 values: graph input 'x', output 0 of Neg 'inner'");
    }

    @Test
    void duplicateNodeNames() {
        g.addOutput(node(g, "n", "Relu", x).output());
        g.addOutput(g.addNode("n", "", "Neg", List.of(x), List.of("other"), null).output());
        ValidationIssue issue = only(Kind.DUPLICATE_NODE_NAME);
        assertThat(issue.subject()).isEqualTo("n");
        assertThat(issue.message()).isEqualTo("node name 'n' is used by 2 nodes: Relu, Neg");
    }

    @Test
    void initializerNamedLikeANodeOutput() {
        g.addInitializer(Tensor.scalarFloat("a_out", 1f));
        g.addOutput(node(g, "a", "Relu", x).output());
        assertThat(only(Kind.INITIALIZER_SHADOWS_NODE_OUTPUT).message())
                .isEqualTo("initializer 'a_out' has the same name as output 0 of Relu 'a'");
    }

    @Test
    void dtypeMismatch() {
        Value ids = input(g, "ids", DataType.INT64, 2, 3);
        g.addOutput(node(g, "add", "Add", x, ids).output());
        ValidationIssue issue = only(Kind.OP_CHECK);
        assertThat(issue.subject()).isEqualTo("add");
        assertThat(issue.message()).isEqualTo("node Add 'add': input dtypes differ: float vs int64");
    }

    @Test
    void wrongInputCount() {
        g.addOutput(node(g, "mm", "MatMul", x).output());
        assertThat(only(Kind.OP_CHECK).message()).isEqualTo("node MatMul 'mm': expected 2 inputs, received 1");
    }

    @Test
    void domainNotImported() {
        Node fused = g.addNode("fused", "com.microsoft", "FusedMatMul", List.of(x, x), List.of("f"), null);
        g.addNode("fused2", "com.microsoft", "FusedMatMul", List.of(x, x), List.of("f2"), null);
        g.addOutput(fused.output());
        ValidationIssue issue = only(Kind.MISSING_OPSET_IMPORT);
        assertThat(issue.subject()).isEqualTo("fused");
        assertThat(issue.message()).isEqualTo("node com.microsoft::FusedMatMul 'fused' (and 1 more nodes) uses "
                + "domain 'com.microsoft', which the model does not import (add an opset import for it)");
        m.opsetImports().put("com.microsoft", 1L);
        assertThat(ModelValidator.validate(m).ofKind(Kind.MISSING_OPSET_IMPORT)).isEmpty();
    }

    @Test
    void opsetTooOldForTheOp() {
        g.addOutput(node(g, "gelu", "Gelu", x).output());
        assertThat(only(Kind.OPSET_TOO_OLD).message())
                .isEqualTo("node Gelu 'gelu' needs opset 20 of the default domain; the model imports 17");
    }

    @Test
    void unsortedNodesAreAWarningOnly() {
        Node a = node(g, "a", "Relu", x);
        Node b = node(g, "b", "Neg", a.output());
        g.reorderNodes(List.of(b, a));
        g.addOutput(b.output());
        ValidationReport r = ModelValidator.validateOrThrow(m);
        assertThat(r.isValid()).isTrue();
        assertThat(r.warnings()).singleElement().extracting(ValidationIssue::message)
                .isEqualTo("node Neg 'b' reads 'a_out' before Relu 'a' produces it (graph 'main' is not "
                        + "topologically sorted; run the toposort pass)");
    }

    @Test
    void everyIssueIsListedAndThrown() {
        Node a = node(g, "a", "Add", x, new Value("ghost", null));
        g.addNode("a", "", "Neg", List.of(x), List.of("b_out"), null);
        g.addOutput(a.output());
        g.addOutput(new Value("missing", null));
        assertThatThrownBy(() -> ModelValidator.validateOrThrow(m)).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("invalid model: 3 problems")
                .hasMessageContaining("reads 'ghost'")
                .hasMessageContaining("output 'missing'")
                .hasMessageContaining("node name 'a' is used by 2 nodes")
                .satisfies(e -> assertThat(((ValidationException) e).issues()).hasSize(3));
    }
}
