package io.ortune.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.build.OpSchemas;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxWriter;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The types {@code OpSchemas} infers for quantization and {@code com.microsoft} ops are the ones ONNX Runtime
 * produces: each op is built with {@link GraphBuilder} (so checked), run on random data of a valid layout, and the
 * dtype and dims of every output compared exactly with the inferred type.
 */
class QuantizedOpShapesTest {

    private static final String MS = OpSchemas.MICROSOFT;

    private final Random random = new Random(11);
    private final Map<String, Tensor> feeds = new LinkedHashMap<>();

    private static Attribute.IntAttr i(String name, long v) {
        return new Attribute.IntAttr(name, v);
    }

    private Value bytes(GraphBuilder b, String name, DataType dtype, long... dims) {
        byte[] data = new byte[(int) Arrays.stream(dims).reduce(1, (x, y) -> x * y)];
        random.nextBytes(data);
        feeds.put(name, Tensor.ofBytes(name, dtype, dims, data));
        return b.input(name, dtype, box(dims));
    }

    private Value floats(GraphBuilder b, String name, float min, float max, long... dims) {
        float[] data = new float[(int) Arrays.stream(dims).reduce(1, (x, y) -> x * y)];
        for (int k = 0; k < data.length; k++) {
            data[k] = min + random.nextFloat() * (max - min);
        }
        feeds.put(name, Tensor.ofFloats(name, dims, data));
        return b.input(name, DataType.FLOAT, box(dims));
    }

    private static Object[] box(long[] dims) {
        return Arrays.stream(dims).boxed().toArray();
    }

    /** Runs the model and checks every output's dtype and dims against the type inferred when it was built. */
    private void runAndCompare(GraphBuilder b, List<Value> outputs) throws IOException {
        List<Shape> shapes = outputs.stream().map(Value::shape).toList();
        List<DataType> dtypes = outputs.stream().map(Value::dtype).toList();
        for (int k = 0; k < outputs.size(); k++) {
            b.output(outputs.get(k), "y" + k);
        }
        Model m = b.model();
        try (InferenceSession s = InferenceSession.fromBytes(OnnxWriter.toBytes(m))) {
            Map<String, Tensor> out = s.run(feeds);
            for (int k = 0; k < outputs.size(); k++) {
                Tensor t = out.get("y" + k);
                assertThat(t.dtype()).as("dtype of output %d", k).isEqualTo(dtypes.get(k));
                assertThat(Shape.ofLongs(t.dims())).as("shape of output %d", k).isEqualTo(shapes.get(k));
            }
        }
    }

    @Test
    void matMulBnb4() throws IOException {
        GraphBuilder b = GraphBuilder.create("g");
        Value a = floats(b, "a", -1, 1, 2, 3, 128);
        Value w = bytes(b, "w", DataType.UINT8, 64 * 128 / 2);
        Value absmax = floats(b, "absmax", 0.5f, 1, 64 * 128 / 64);
        runAndCompare(b, List.of(b.op(MS, "MatMulBnb4", Arrays.asList(a, w, absmax), i("K", 128), i("N", 64),
                i("block_size", 64), i("quant_type", 1))));
    }

    @Test
    void matMulNBits() throws IOException {
        GraphBuilder b = GraphBuilder.create("g");
        Value a = floats(b, "a", -1, 1, 3, 256);
        Value w = bytes(b, "w", DataType.UINT8, 32, 8, 16);
        Value scales = floats(b, "scales", 0.01f, 0.1f, 32 * 8);
        runAndCompare(b, List.of(b.op(MS, "MatMulNBits", Arrays.asList(a, w, scales), i("K", 256), i("N", 32),
                i("bits", 4), i("block_size", 32))));
    }

    @Test
    void dynamicQuantizeMatMul() throws IOException {
        GraphBuilder b = GraphBuilder.create("g");
        Value a = floats(b, "a", -1, 1, 2, 8);
        Value w = bytes(b, "w", DataType.INT8, 8, 5);
        Value scale = floats(b, "scale", 0.01f, 0.1f, 5);
        runAndCompare(b, List.of(b.op(MS, "DynamicQuantizeMatMul", Arrays.asList(a, w, scale))));
    }

    @Test
    void quantizeAndDequantizePerAxisAndPerTensor() throws IOException {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = floats(b, "x", -1, 1, 4, 8);
        Value scale = floats(b, "scale", 0.01f, 0.1f, 8);
        Value zp = bytes(b, "zp", DataType.INT8, 8);
        Value q = b.op("", "QuantizeLinear", Arrays.asList(x, scale, zp), i("axis", 1));
        Value s0 = floats(b, "s0", 0.01f, 0.1f, 1);
        Value back = b.op("", "DequantizeLinear", Arrays.asList(q, b.reshape(s0, new long[0])));
        Value u8 = b.op("", "QuantizeLinear", Arrays.asList(x, b.reshape(s0, new long[0])));
        runAndCompare(b, List.of(q, back, u8));
    }

    @Test
    void dynamicQuantizeLinearAndMatMulInteger() throws IOException {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = floats(b, "x", -1, 1, 2, 3, 8);
        List<Value> dq = b.op("", "DynamicQuantizeLinear", List.of(x), 3);
        Value w = bytes(b, "w", DataType.INT8, 8, 5);
        Value y = b.op("", "MatMulInteger", Arrays.asList(dq.get(0), w, dq.get(2)));
        runAndCompare(b, List.of(dq.get(0), dq.get(1), dq.get(2), y));
    }
}
