package io.ortune.graph.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SubgraphExtractorTest {

    private Model model;

    /** x -> MatMul(w) -> h -> Relu -> r -> Add(b) -> y, plus an unrelated branch z = Exp(x). */
    @BeforeEach
    void setUp() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, "batch", 4);
        Value w = b.initializer("w", Tensor.ofFloats("w", new long[] {4, 4}, new float[16]));
        Value bias = b.initializer("b", Tensor.ofFloats("b", new long[] {4}, new float[4]));
        Value h = b.matMul(x, w);
        h.setName("h");
        Value r = b.relu(h);
        r.setName("r");
        b.output(b.add(r, bias), "y");
        b.output(b.exp(x), "z");
        model = b.model();
    }

    @Test
    void extractsTheSliceBetweenValues() {
        Model part = SubgraphExtractor.extract(model, List.of("h"), List.of("y"));
        assertThat(part.graph().nodes()).extracting(Node::opType).containsExactly("Relu", "Add");
        assertThat(part.graph().inputs()).extracting(Value::name).containsExactly("h");
        assertThat(String.valueOf(part.graph().inputs().get(0).type())).isEqualTo("float[batch,4]");
        assertThat(part.graph().initializers()).containsOnlyKeys("b");
        assertThat(part.graph().outputs()).extracting(Value::name).containsExactly("y");
        assertThat(part.opsetImports()).isEqualTo(model.opsetImports());
    }

    @Test
    void wholePathFromTheGraphInput() {
        Model part = SubgraphExtractor.extract(model, List.of("x"), List.of("r"));
        assertThat(part.graph().nodes()).extracting(Node::opType).containsExactly("MatMul", "Relu");
        assertThat(part.graph().initializers()).containsOnlyKeys("w");
    }

    @Test
    void theOriginalIsUnchanged() {
        SubgraphExtractor.extract(model, List.of("h"), List.of("y"));
        assertThat(model.graph().nodes()).hasSize(4);
        assertThat(model.graph().initializer("b").uses()).hasSize(1);
    }

    @Test
    void aMissingInputIsNamed() {
        assertThatThrownBy(() -> SubgraphExtractor.extract(model, List.of("r"), List.of("y", "z")))
                .hasMessage("the extracted outputs depend on graph input 'x', which is not among the extraction "
                        + "inputs");
    }

    @Test
    void unknownNamesAreNamed() {
        assertThatThrownBy(() -> SubgraphExtractor.extract(model, List.of("nope"), List.of("y")))
                .hasMessage("extraction input 'nope' is not a value of graph 'g'");
    }
}
