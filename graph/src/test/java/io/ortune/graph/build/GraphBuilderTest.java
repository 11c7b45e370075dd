package io.ortune.graph.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.analysis.ConstantValues;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Naming, graph interface, opset handling and the opset-dependent forms of emitted ops. */
class GraphBuilderTest {

    @Test
    @SuppressWarnings("try")
    void nodeNamesFollowModulePaths() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, "batch", 8);
        Value w = b.initializer("model.layers.0.self_attn.q_proj.weight", Tensor.ofFloats("w", new long[] {8, 8},
                new float[64]));
        Value q;
        try (GraphBuilder.Scope attn = b.scope("model.layers.0.self_attn")) {
            q = b.scoped("q_proj", () -> b.matMul(x, w));
            b.matMul(q, w);
        }
        assertThat(q.producer().name()).isEqualTo("/model/layers.0/self_attn/q_proj/MatMul");
        assertThat(q.name()).isEqualTo("/model/layers.0/self_attn/q_proj/MatMul_output_0");
        assertThat(b.graph().nodes().get(1).name()).isEqualTo("/model/layers.0/self_attn/MatMul");
    }

    @Test
    void repeatedOpsGetNumberedNames() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, 4);
        Value a = b.relu(x);
        Value c = b.relu(a);
        Value d = b.relu(c);
        assertThat(List.of(a.producer().name(), c.producer().name(), d.producer().name()))
                .containsExactly("/Relu", "/Relu_1", "/Relu_2");
        assertThat(d.name()).isEqualTo("/Relu_2_output_0");
    }

    @Test
    void scopesMustCloseInnermostFirst() {
        GraphBuilder b = GraphBuilder.create("g");
        GraphBuilder.Scope outer = b.scope("a");
        b.scope("b");
        assertThatThrownBy(outer::close).hasMessageContaining("closed innermost first");
    }

    @Test
    void extendingAModelAvoidsItsNames() {
        GraphBuilder first = GraphBuilder.create("g");
        Value x = first.input("x", DataType.FLOAT, 4);
        first.output(first.relu(x), "y");
        Model m = first.model();

        GraphBuilder b = GraphBuilder.on(m);
        Value again = b.relu(m.graph().inputs().get(0));
        assertThat(again.producer().name()).isEqualTo("/Relu_1");
        assertThat(b.opset()).isEqualTo(17);
    }

    @Test
    void outputRenamesAFreshValue() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, 4);
        Value y = b.output(b.relu(x), "logits");
        assertThat(y.name()).isEqualTo("logits");
        assertThat(y.producer().opType()).isEqualTo("Relu");
        assertThat(b.graph().outputs()).containsExactly(y);
    }

    @Test
    void aValueIsAnOutputOnce() {
        GraphBuilder b = GraphBuilder.create("g");
        Value y = b.output(b.relu(b.input("x", DataType.FLOAT, 4)), "y");
        assertThatThrownBy(() -> b.output(y)).hasMessage("'y' is already an output of graph 'g'");
        Value alias = b.output(y, "y2");
        assertThat(alias.producer().opType()).isEqualTo("Identity");
        assertThat(b.graph().outputs()).extracting(Value::name).containsExactly("y", "y2");
    }

    @Test
    void outputOfAGraphInputGoesThroughIdentity() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, 4);
        Value y = b.output(x, "y");
        assertThat(y.producer().opType()).isEqualTo("Identity");
        assertThat(y.name()).isEqualTo("y");
        assertThat(String.valueOf(y.type())).isEqualTo("float[4]");
    }

    @Test
    void constantsAreConstantNodes() {
        GraphBuilder b = GraphBuilder.create("g");
        Value c = b.constLongs(0, 0, -1);
        assertThat(c.producer().opType()).isEqualTo("Constant");
        assertThat(ConstantValues.of(c).toLongs()).containsExactly(0, 0, -1);
        assertThat(String.valueOf(c.type())).isEqualTo("int64[3]");
    }

    @Test
    void scalarLikeMatchesTheOperandDtype() {
        GraphBuilder b = GraphBuilder.create("g");
        Value h = b.input("h", DataType.FLOAT16, 4);
        Value half = b.scalarLike(h, 0.5);
        assertThat(half.dtype()).isEqualTo(DataType.FLOAT16);
        assertThat(ConstantValues.of(half).bytes().getShort(0)).isEqualTo((short) 0x3800);
        assertThat(b.mul(h, half).dtype()).isEqualTo(DataType.FLOAT16);
    }

    @Test
    void reduceMeanAxesAreAnAttributeBeforeOpset18() {
        GraphBuilder b = GraphBuilder.create("g", 17);
        Node n = b.reduceMean(b.input("x", DataType.FLOAT, 2, 3), new long[] {1}, true).producer();
        assertThat(n.inputCount()).isEqualTo(1);
        assertThat(n.intsAttr("axes")).containsExactly(1);
    }

    @Test
    void reduceMeanAxesAreAnInputFromOpset18() {
        GraphBuilder b = GraphBuilder.create("g", 18);
        Value y = b.reduceMean(b.input("x", DataType.FLOAT, 2, 3), new long[] {1}, false);
        assertThat(y.producer().inputCount()).isEqualTo(2);
        assertThat(y.producer().attribute("axes")).isNull();
        assertThat(String.valueOf(y.type())).isEqualTo("float[2]");
    }

    @Test
    void reduceSumAxesAreAnInputFromOpset13() {
        GraphBuilder b = GraphBuilder.create("g", 13);
        Node n = b.reduceSum(b.input("x", DataType.FLOAT, 2, 3), new long[] {1}, true).producer();
        assertThat(n.inputCount()).isEqualTo(2);
    }

    @Test
    void shapeRangeIsShapeAndSliceBeforeOpset15() {
        GraphBuilder b13 = GraphBuilder.create("g", 13);
        Value s13 = b13.shape(b13.input("x", DataType.FLOAT, 2, 3, 4), 1, 3);
        GraphBuilder b15 = GraphBuilder.create("g", 15);
        Value s15 = b15.shape(b15.input("x", DataType.FLOAT, 2, 3, 4), 1, 3);
        assertThat(s13.producer().opType()).isEqualTo("Slice");
        assertThat(s13.producer().input(0).producer().opType()).isEqualTo("Shape");
        assertThat(s13.producer().input(0).producer().attributes()).isEmpty();
        assertThat(s15.producer().opType()).isEqualTo("Shape");
        assertThat(s15.producer().intAttr("start", 0)).isEqualTo(1);
        assertThat(String.valueOf(s13.type())).isEqualTo(String.valueOf(s15.type())).isEqualTo("int64[2]");
    }

    @Test
    void evenSplitUsesNumOutputsFromOpset18() {
        GraphBuilder b17 = GraphBuilder.create("g", 17);
        Node n17 = b17.splitEven(b17.input("x", DataType.FLOAT, 6), 0, 3).get(0).producer();
        GraphBuilder b18 = GraphBuilder.create("g", 18);
        Node n18 = b18.splitEven(b18.input("x", DataType.FLOAT, 7), 0, 3).get(2).producer();
        assertThat(n17.attribute("num_outputs")).isNull();
        assertThat(n18.intAttr("num_outputs", 0)).isEqualTo(3);
        assertThat(String.valueOf(n18.output(0).type())).isEqualTo("float[3]");
        assertThat(String.valueOf(n18.output(2).type())).isEqualTo("float[1]");
    }

    @Test
    void geluIsEmittedAtOpset20() {
        GraphBuilder b = GraphBuilder.create("g", 20);
        Value y = b.gelu(b.input("x", DataType.FLOAT, 4), "tanh");
        assertThat(y.producer().stringAttr("approximate", "")).isEqualTo("tanh");
        assertThat(b.model().opsetVersion("")).isEqualTo(20);
    }

    @Test
    void otherDomainsAreImportedOnUse() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, 2, 4);
        Value y = b.op("com.microsoft", "FastGelu", List.of(x));
        assertThat(b.model().opsetImports()).containsEntry("com.microsoft", 1L).containsEntry("", 17L);
        assertThat(y.producer().domain()).isEqualTo("com.microsoft");
        assertThat(y.type()).isNull();
    }

    @Test
    void importDomainSetsTheVersion() {
        GraphBuilder b = GraphBuilder.create("g");
        b.importDomain("com.microsoft", 2);
        b.op("com.microsoft", "FusedMatMul", List.of(b.input("x", DataType.FLOAT, 2, 2)));
        assertThat(b.model().opsetVersion("com.microsoft")).isEqualTo(2);
    }

    @Test
    void genericOpWithSeveralOutputs() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, 6, 2);
        List<Value> parts = b.op("", "Split", List.of(x, b.constLongs(2, 4)), 2, new Attribute.IntAttr("axis", 0));
        assertThat(parts).extracting(v -> String.valueOf(v.type())).containsExactly("float[2,2]", "float[4,2]");
    }

    @Test
    void buildsAnAttentionBlockTopToBottom() {
        GraphBuilder b = GraphBuilder.create("attn");
        Value x = b.input("x", DataType.FLOAT, "batch", "seq", 64);
        Value wq = b.initializer("wq", Tensor.ofFloats("wq", new long[] {64, 64}, new float[64 * 64]));
        Value q = b.transpose(b.reshape(b.matMul(x, wq), b.constLongs(0, 0, 4, 16)), 0, 2, 1, 3);
        Value scores = b.div(b.matMul(q, b.transpose(q, 0, 1, 3, 2)), b.constFloat(4f));
        Value probs = b.softmax(scores, -1);
        Value ctx = b.reshape(b.transpose(b.matMul(probs, q), 0, 2, 1, 3), b.constLongs(0, 0, -1));
        Value y = b.output(ctx, "y");
        assertThat(String.valueOf(y.type())).isEqualTo("float[batch,seq,64]");
        Graph g = b.graph();
        assertThat(g.nodes()).extracting(Node::opType).contains("MatMul", "Reshape", "Softmax");
    }
}
