package io.ortune.graph.pass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.analysis.ConstantValues;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import io.ortune.graph.validate.ValidationException;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Each built-in pass: what it does, what it reports, and that its input model is left as it was. */
class BuiltInPassesTest {

    private static List<String> ops(Model m) {
        return m.graph().nodes().stream().map(Node::opType).toList();
    }

    @Test
    void dceCountsAndKeepsTheInput() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, 4);
        b.initializer("unused", Tensor.scalarFloat("u", 0));
        b.neg(b.exp(x));
        b.sqrt(x);
        b.output(b.relu(x), "y");
        Model m = b.model();

        PassResult r = new DeadCodeEliminationPass().run(m);

        assertThat(r.changes()).containsExactly("removed 3 dead nodes and 1 unused initializer");
        assertThat(ops(r.model())).containsExactly("Relu");
        assertThat(ops(m)).containsExactly("Exp", "Neg", "Sqrt", "Relu");
        assertThat(m.graph().initializers()).containsKey("unused");
    }

    @Test
    void unchangedPassesReturnTheirInput() {
        GraphBuilder b = GraphBuilder.create("g");
        b.output(b.relu(b.input("x", DataType.FLOAT, 4)), "y");
        Model m = b.model();
        for (Pass p : List.of(new DeadCodeEliminationPass(), new ConstantFoldingPass(), new TopologicalSortPass(),
                new IdentityEliminationPass(), new ShapeInferencePass())) {
            PassResult r = p.run(m);
            assertThat(r.changed()).as(p.name()).isFalse();
            assertThat(r.model()).as(p.name()).isSameAs(m);
        }
    }

    @Test
    void foldingAShapeChainGivesTheReshapeItsExactType() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, 2, 3, 4);
        Value batch = b.unsqueeze(b.gather(b.shape(x), b.constLong(0), 0), 0);
        b.output(b.reshape(x, b.concat(0, batch, b.constLongs(-1))), "y");
        Model m = b.model();
        assertThat(String.valueOf(m.graph().outputs().get(0).type())).isEqualTo("float[?,?]");

        PassResult r = new ConstantFoldingPass().run(m);

        assertThat(r.changes()).containsExactly("folded 4 nodes into 1 constant; refined the types of 1 value");
        assertThat(ops(r.model())).containsExactly("Constant", "Reshape");
        Value y = r.model().graph().outputs().get(0);
        assertThat(String.valueOf(y.type())).isEqualTo("float[2,12]");
        assertThat(ConstantValues.of(y.producer().input(1)).toLongs()).containsExactly(2, -1);
        assertThat(ops(m)).hasSize(8);
    }

    @Test
    void toposortReordersACopy() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, 4);
        b.output(b.neg(b.relu(x)), "y");
        Model m = b.model();
        Graph g = m.graph();
        g.reorderNodes(List.of(g.nodes().get(1), g.nodes().get(0)));

        PassResult r = new TopologicalSortPass().run(m);

        assertThat(r.changes()).containsExactly("reordered nodes into topological order");
        assertThat(ops(r.model())).containsExactly("Relu", "Neg");
        assertThat(ops(m)).containsExactly("Neg", "Relu");
    }

    @Test
    void identityEliminationBypassesInnerIdentities() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, 4);
        Value y = b.output(b.identity(b.relu(b.identity(x))), "y");
        assertThat(y.producer().opType()).isEqualTo("Identity");

        PassResult r = new IdentityEliminationPass().run(b.model());

        assertThat(r.changes()).containsExactly("removed 2 Identity nodes");
        Graph g = r.model().graph();
        assertThat(ops(r.model())).containsExactly("Relu");
        assertThat(g.outputs().get(0).name()).isEqualTo("y");
        assertThat(g.outputs().get(0).producer().input(0)).isSameAs(g.inputs().get(0));
    }

    @Test
    void identityBetweenAnInputAndAnOutputStays() {
        GraphBuilder b = GraphBuilder.create("g");
        b.output(b.input("x", DataType.FLOAT, 4), "y");
        PassResult r = new IdentityEliminationPass().run(b.model());
        assertThat(r.changed()).isFalse();
    }

    @Test
    void shapeInferenceFillsMissingTypes() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, "batch", 4);
        Value y = b.output(b.transpose(b.relu(x)), "y");
        y.setType(null);
        y.producer().input(0).setType(ValueType.tensor(DataType.FLOAT, io.ortune.graph.ir.Shape.UNKNOWN_RANK));

        PassResult r = new ShapeInferencePass().run(b.model());

        assertThat(r.changes()).containsExactly("inferred types of 2 values");
        assertThat(String.valueOf(r.model().graph().outputs().get(0).type())).isEqualTo("float[4,batch]");
        assertThat(y.type()).isNull();
    }

    @Test
    void validatePassFailsOnAnInvalidModel() {
        GraphBuilder b = GraphBuilder.create("g");
        b.output(b.relu(b.input("x", DataType.FLOAT, 4)), "y");
        Model m = b.model();
        assertThat(new ValidationPass().run(m).changes()).containsExactly("model is valid");
        m.graph().addOutput(new Value("ghost", null));
        assertThatThrownBy(() -> new ValidationPass().run(m)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("output 'ghost'");
    }
}
