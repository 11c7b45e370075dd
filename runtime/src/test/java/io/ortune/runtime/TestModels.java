package io.ortune.runtime;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import io.ortune.graph.onnx.OnnxWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Tiny models built with the IR and serialized with {@link OnnxWriter}, for runtime tests. */
final class TestModels {

    /** Opset 21: the first with int4/uint4 in Cast and Identity. */
    static final long OPSET = 21;

    private TestModels() {
    }

    static Model model(Graph g) {
        Model m = new Model(g);
        m.setIrVersion(10);
        m.setProducerName("ortune-runtime-test");
        m.opsetImports().put("", OPSET);
        return m;
    }

    static byte[] bytes(Model m) {
        try {
            return OnnxWriter.toBytes(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code c = op(a, b)}, a and b of type {@code in}, c of type {@code out}, all of shape {@code dims}. */
    static byte[] binary(String op, DataType in, DataType out, Object... dims) {
        Graph g = new Graph(op.toLowerCase());
        Value a = g.addInput("a", ValueType.tensor(in, dims));
        Value b = g.addInput("b", ValueType.tensor(in, dims));
        output(g, g.addNode(op, "", op, List.of(a, b), List.of("c"), List.of()), ValueType.tensor(out, dims));
        return bytes(model(g));
    }

    /** {@code y = op(x)} with attributes, y typed {@code out}. */
    static byte[] unary(String op, DataType in, DataType out, List<Attribute> attrs, Object... dims) {
        Graph g = new Graph(op.toLowerCase());
        Value x = g.addInput("x", ValueType.tensor(in, dims));
        output(g, g.addNode(op, "", op, List.of(x), List.of("y"), attrs), ValueType.tensor(out, dims));
        return bytes(model(g));
    }

    /** {@code y = Cast(x, to)}. */
    static byte[] cast(DataType from, DataType to, Object... dims) {
        return unary("Cast", from, to, List.of(new Attribute.IntAttr("to", to.onnxCode())), dims);
    }

    /** {@code y = MatMul(x, w)} with x {@code [batch, 3]} and the initializer w {@code [3, 2]}. */
    static byte[] matMulWithWeights(Tensor w) {
        Graph g = new Graph("matmul");
        Value x = g.addInput("x", ValueType.tensor(w.dtype(), "batch", w.dims()[0]));
        Value wv = g.addInitializer(w);
        output(g, g.addNode("mm", "", "MatMul", List.of(x, wv), List.of("y"), List.of()),
                ValueType.tensor(w.dtype(), "batch", w.dims()[1]));
        return bytes(model(g));
    }

    /** Two outputs: {@code sum = a + b} and {@code prod = a * b}, float {@code [n]}. */
    static byte[] sumAndProduct(long n) {
        Graph g = new Graph("sum_prod");
        Value a = g.addInput("a", ValueType.tensor(DataType.FLOAT, n));
        Value b = g.addInput("b", ValueType.tensor(DataType.FLOAT, n));
        output(g, g.addNode("add", "", "Add", List.of(a, b), List.of("sum"), List.of()),
                ValueType.tensor(DataType.FLOAT, n));
        output(g, g.addNode("mul", "", "Mul", List.of(a, b), List.of("prod"), List.of()),
                ValueType.tensor(DataType.FLOAT, n));
        return bytes(model(g));
    }

    private static void output(Graph g, Node n, ValueType type) {
        Value v = n.output();
        v.setType(type);
        g.addOutput(v);
    }
}
