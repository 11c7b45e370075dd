package io.ortune.graph.build;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ops that break their schema fail when built, naming the op, the node and the problem. */
class OpChecksTest {

    private GraphBuilder b;
    private Value x;
    private Value ids;
    private Value m;

    @BeforeEach
    void setUp() {
        b = GraphBuilder.create("g");
        x = b.input("x", DataType.FLOAT, "batch", "seq", 768);
        ids = b.input("ids", DataType.INT64, "batch", "seq");
        m = b.input("m", DataType.FLOAT, 2, 3);
    }

    @Test
    void addWithDifferentDtypes() {
        assertThatThrownBy(() -> b.add(x, ids)).isInstanceOf(OpCheckException.class)
                .hasMessage("Add '/Add': input dtypes differ: float vs int64");
    }

    @Test
    void nodeNameInMessageFollowsTheScope() {
        assertThatThrownBy(() -> b.scoped("model.layers.0.mlp", () -> b.mul(x, ids)))
                .hasMessage("Mul '/model/layers.0/mlp/Mul': input dtypes differ: float vs int64");
    }

    @Test
    void matMulInnerDimensions() {
        assertThatThrownBy(() -> b.matMul(x, m))
                .hasMessage("MatMul '/MatMul': inner dimensions differ: [batch,seq,768] x [2,3] (768 vs 2)");
    }

    @Test
    void shapesThatDoNotBroadcast() {
        assertThatThrownBy(() -> b.add(m, b.constFloats(1, 2)))
                .hasMessageContaining("Add '/Add': input shapes do not broadcast: [2,3] vs [2]");
    }

    @Test
    void softmaxAxisOutOfRange() {
        assertThatThrownBy(() -> b.softmax(x, 3))
                .hasMessage("Softmax '/Softmax': axis 3 is out of range for rank 3 (allowed -3..2)");
    }

    @Test
    void transposePermutationOfWrongRank() {
        assertThatThrownBy(() -> b.transpose(x, 0, 2, 1, 3))
                .hasMessage("Transpose '/Transpose': perm [0, 2, 1, 3] is not a permutation of 0..2 (input "
                        + "[batch,seq,768])");
    }

    @Test
    void concatOfDifferentRanks() {
        assertThatThrownBy(() -> b.concat(0, x, m))
                .hasMessageContaining("Concat '/Concat': inputs have different ranks: [batch,seq,768] (input 0) vs "
                        + "[2,3] (input 1)");
    }

    @Test
    void concatOfDifferentSizesOffTheAxis() {
        assertThatThrownBy(() -> b.concat(0, m, b.transpose(m)))
                .hasMessageContaining("input 1 has shape [3,2], which differs from [2,3] on axis 1");
    }

    @Test
    void reshapeChangingTheElementCount() {
        assertThatThrownBy(() -> b.reshape(m, 4, 2))
                .hasMessage("Reshape '/Reshape': cannot reshape [2,3] (6 elements) to [4, 2] (8 elements)");
    }

    @Test
    void reshapeWithTwoMinusOnes() {
        assertThatThrownBy(() -> b.reshape(m, -1, -1)).hasMessageContaining("has more than one -1");
    }

    @Test
    void reshapeMinusOneThatDoesNotDivide() {
        assertThatThrownBy(() -> b.reshape(m, -1, 4)).hasMessageContaining("6 elements do not divide by 4");
    }

    @Test
    void gatherIndexOutOfRange() {
        assertThatThrownBy(() -> b.gather(m, b.constLongs(0, 5), 1))
                .hasMessage("Gather '/Gather': index 5 is out of range for axis 1 of size 3");
    }

    @Test
    void gatherWithFloatIndices() {
        assertThatThrownBy(() -> b.gather(m, b.constFloat(1), 0))
                .hasMessageContaining("input 1 '/Constant_output_0' is float, expected int32 or int64");
    }

    @Test
    void squeezeOfANonUnitAxis() {
        assertThatThrownBy(() -> b.squeeze(m, 1))
                .hasMessage("Squeeze '/Squeeze': cannot squeeze axis 1 of [2,3]: its size is 3, not 1");
    }

    @Test
    void unsqueezeRepeatingAnAxis() {
        assertThatThrownBy(() -> b.unsqueeze(m, 0, 0)).hasMessageContaining("repeat axis 0");
    }

    @Test
    void sqrtOfIntegers() {
        assertThatThrownBy(() -> b.sqrt(ids))
                .hasMessage("Sqrt '/Sqrt': input 0 'ids' is int64, expected a floating-point type");
    }

    @Test
    void whereNeedsABoolCondition() {
        assertThatThrownBy(() -> b.where(m, m, m)).hasMessageContaining("input 0 'm' is float, expected bool");
    }

    @Test
    void whereBranchesOfDifferentDtypes() {
        Value c = b.equal(m, m);
        assertThatThrownBy(() -> b.where(c, m, b.cast(m, DataType.DOUBLE)))
                .hasMessageContaining("input 1 (X) is float, input 2 (Y) is double");
    }

    @Test
    void splitSizesThatDoNotAddUp() {
        assertThatThrownBy(() -> b.split(m, 1, 1, 1))
                .hasMessageContaining("split sizes [1, 1] sum to 2, but axis 1 of [2,3] has size 3");
    }

    @Test
    void layerNormAxisOutOfRange() {
        assertThatThrownBy(() -> b.layerNorm(m, b.constFloats(1, 1, 1), null, 2, 1e-5f))
                .hasMessageContaining("axis 2 is out of range for rank 2");
    }

    @Test
    void gemmNeedsMatrices() {
        assertThatThrownBy(() -> b.gemm(x, m, null))
                .hasMessageContaining("input 0 'x' (A) must be 2-D, has shape [batch,seq,768]");
    }

    @Test
    void einsumLettersOfDifferentSizes() {
        assertThatThrownBy(() -> b.einsum("ij,ij->i", m, b.transpose(m)))
                .hasMessageContaining("letter 'i' has size 2 in one operand and 3 in input 1");
    }

    @Test
    void genericOpOfTheDefaultDomainIsCheckedToo() {
        assertThatThrownBy(() -> b.op("", "Add", List.of(x, x, x)))
                .hasMessage("Add '/Add': expected 2 inputs, received 3");
    }

    @Test
    void castToAnUnknownType() {
        assertThatThrownBy(() -> b.op("", "Cast", List.of(m), new Attribute.IntAttr("to", 99)))
                .hasMessageContaining("attribute 'to' is not a known data type");
    }

    @Test
    void attributeGivenTwice() {
        assertThatThrownBy(() -> b.op("", "Softmax", List.of(m), new Attribute.IntAttr("axis", 1),
                new Attribute.IntAttr("axis", 0))).hasMessageContaining("attribute 'axis' is given twice");
    }

    @Test
    void constantOfShapeValueHoldsOneElement() {
        assertThatThrownBy(() -> b.constantOfShape(b.constLongs(2), Tensor.ofFloats("v", new long[] {2}, 1, 2)))
                .hasMessage("ConstantOfShape '/ConstantOfShape': attribute 'value' must hold one element, holds 2");
    }

    @Test
    void missingRequiredInput() {
        assertThatThrownBy(() -> b.matMul(m, null)).hasMessage("MatMul '/MatMul': required input 1 is missing");
    }

    @Test
    void valueOfAnotherBuilder() {
        Value foreign = GraphBuilder.create("other").input("y", DataType.FLOAT, 2, 3);
        assertThatThrownBy(() -> b.add(m, foreign))
                .hasMessageContaining("input 1 'y' is not a value of graph 'g' (made by another builder");
    }

    @Test
    void geluNeedsOpset20() {
        assertThatThrownBy(() -> b.gelu(x)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Gelu needs opset 20 of the default domain, but this builder targets opset 17")
                .hasMessageContaining("GraphBuilder.create(name, 20)");
    }

    @Test
    void geluApproximationMustBeKnown() {
        GraphBuilder b20 = GraphBuilder.create("g", 20);
        Value y = b20.input("y", DataType.FLOAT, 4);
        assertThatThrownBy(() -> b20.gelu(y, "fast"))
                .hasMessage("Gelu '/Gelu': attribute 'approximate' must be \"none\" or \"tanh\", is \"fast\"");
    }

    @Test
    void duplicateInputName() {
        assertThatThrownBy(() -> b.input("x", DataType.FLOAT, 1))
                .hasMessage("graph 'g' already has a value named 'x'");
    }

    @Test
    void duplicateInitializerName() {
        assertThatThrownBy(() -> b.initializer("m", Tensor.scalarFloat("w", 1)))
                .hasMessage("graph 'g' already has a value named 'm'");
    }

    @Test
    void opsetBelowTheMinimum() {
        assertThatThrownBy(() -> GraphBuilder.create("g", 11))
                .hasMessageContaining("the builder targets opset 13 or newer, not 11");
    }
}
