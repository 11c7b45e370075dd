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

    /** {@code y = x + w}, float [n], {@code w} a graph input with the initializer default 1, 2, ..., n. */
    static byte[] addOverridable(int n) {
        Graph g = new Graph("add_w");
        Value x = g.addInput("x", ValueType.tensor(DataType.FLOAT, n));
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = i + 1;
        }
        Value w = g.addInitializer(Tensor.ofFloats("w", new long[] {n}, d));
        g.addInput(w);
        output(g, g.addNode("add", "", "Add", List.of(x, w), List.of("y"), List.of()),
                ValueType.tensor(DataType.FLOAT, n));
        return bytes(model(g));
    }

    /**
     * An ONNX Runtime LoRA adapter file (flatbuffer {@code TORT}, {@code adapter_schema.fbs}) with one float
     * parameter {@code name} [v.length], written by hand here, independent of the export module's writer.
     */
    static byte[] loraAdapter(String name, float... v) {
        com.google.flatbuffers.FlatBufferBuilder b = new com.google.flatbuffers.FlatBufferBuilder(256 + 4 * v.length);
        java.nio.ByteBuffer raw = b.createUnintializedVector(1, 4 * v.length, 8);
        java.nio.ByteBuffer le = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            le.putFloat(f);
        }
        raw.put(le.flip());
        int data = b.endVector();
        b.startVector(8, 1, 8);
        b.addLong(v.length);
        int dims = b.endVector();
        int n = b.createString(name);
        b.startTable(4);
        b.addOffset(0, n, 0);          // Parameter.name
        b.addOffset(1, dims, 0);       // Parameter.dims
        b.addInt(2, 1, 0);             // Parameter.data_type: FLOAT
        b.addOffset(3, data, 0);       // Parameter.raw_data
        int param = b.endTable();
        int params = b.createVectorOfTables(new int[] {param});
        b.startTable(4);
        b.addInt(0, 1, 0);             // Adapter.format_version
        b.addInt(1, 1, 0);             // Adapter.adapter_version
        b.addOffset(3, params, 0);     // Adapter.parameters
        b.finish(b.endTable(), "TORT");
        return b.sizedByteArray();
    }

    private static void output(Graph g, Node n, ValueType type) {
        Value v = n.output();
        v.setType(type);
        g.addOutput(v);
    }
}
