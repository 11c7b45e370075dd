package io.ortune.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions over tiny IR-built models: creation, description, the three run paths, lifetimes. */
class InferenceSessionTest {

    private static final long[] D23 = {2, 3};

    @Test
    void runtimeLoadsAndReportsItself() {
        OrtRuntime rt = OrtRuntime.get();
        assertThat(rt.version()).startsWith("1.24");
        assertThat(rt.availableProviders()).contains("CPUExecutionProvider");
        assertThat(rt.hasProvider(ExecutionProvider.CPU)).isTrue();
        assertThat(rt.isTrainingAvailable()).isTrue();
        assertThat(OrtRuntime.get()).isSameAs(rt);
        OrtRuntime.configure(rt.logLevel());
        LogLevel other = rt.logLevel() == LogLevel.ERROR ? LogLevel.WARNING : LogLevel.ERROR;
        assertThatThrownBy(() -> OrtRuntime.configure(other)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before the first session");
    }

    @Test
    void describesInputsAndOutputsWithSymbolicDims() {
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.binary("Add", DataType.FLOAT, DataType.FLOAT,
                "batch", 3))) {
            assertThat(s.inputNames()).containsExactly("a", "b");
            assertThat(s.outputNames()).containsExactly("c");
            ValueInfo a = s.inputs().get(0);
            assertThat(a.kind()).isEqualTo(ValueInfo.Kind.TENSOR);
            assertThat(a.elementType()).isEqualTo(DataType.FLOAT);
            assertThat(a.shape()).isEqualTo(Shape.of("batch", 3));
            assertThat(a.shape().dim(0)).isEqualTo(new Dim.Symbolic("batch"));
            assertThat(a.dims()).containsExactly(-1, 3);
            assertThat(s.outputs().get(0).elementType()).isEqualTo(DataType.FLOAT);
        }
    }

    @Test
    void describesSequenceInputs() {
        try (InferenceSession s = InferenceSession.fromBytes(TrainingArtifacts.optimizerModel())) {
            assertThat(s.inputNames()).containsExactly("learning_rate", "step", "params", "gradients",
                    "first_order_moments", "second_order_moments");
            assertThat(s.inputs().get(1).elementType()).isEqualTo(DataType.INT64);
            ValueInfo params = s.inputs().get(2);
            assertThat(params.kind()).isEqualTo(ValueInfo.Kind.SEQUENCE);
            assertThat(params.isTensor()).isFalse();
            assertThat(params.elementType()).isEqualTo(DataType.UNDEFINED);
            assertThat(params.toString()).isEqualTo("params: sequence");
        }
    }

    @Test
    void mapsElementTypesWhereOnnxAndOrtNumberThemDifferently() {
        // ONNX numbers UINT2 = 25, INT2 = 26; ONNX Runtime 1.24 creates tensors from those numbers but reports them
        // back as 24 and 25 (its C enum). Each type must survive the round trip, with ORT's own byte size.
        for (DataType t : new DataType[] {DataType.UINT2, DataType.INT2, DataType.INT4, DataType.UINT4,
                DataType.FLOAT8E4M3FN, DataType.FLOAT4E2M1, DataType.BFLOAT16, DataType.BOOL, DataType.UINT64}) {
            try (NativeTensor n = NativeTensor.allocate(t, new long[] {5})) {
                assertThat(n.ortElementType()).as("%s as ONNX Runtime reports it", t).isEqualTo(t);
                assertThat(n.ortByteSize()).as("%s bytes as ONNX Runtime counts them", t).isEqualTo(t.byteSize(5));
                assertThat(n.buffer().remaining()).isEqualTo(t.byteSize(5));
            }
        }
        assertThatThrownBy(() -> NativeTensor.allocate(DataType.FLOAT8E8M0, new long[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float8e8m0");
    }

    @Test
    void addsFloats() {
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.binary("Add", DataType.FLOAT, DataType.FLOAT,
                "batch", 3))) {
            Map<String, Tensor> out = s.run(Map.of(
                    "a", Tensor.ofFloats("a", D23, 1, 2, 3, 4, 5, 6),
                    "b", Tensor.ofFloats("b", D23, 0.5f, -2, 10, 0, -5, 1e6f)));
            Tensor c = out.get("c");
            assertThat(c.dtype()).isEqualTo(DataType.FLOAT);
            assertThat(c.dims()).containsExactly(2, 3);
            assertThat(c.toFloats()).containsExactly(1.5f, 0, 13, 4, 0, 1_000_006f);
            assertThat(c.name()).isEqualTo("c");
        }
    }

    @Test
    void multipliesMatricesInFloatAndDouble() {
        Tensor wf = Tensor.ofFloats("w", new long[] {3, 2}, 1, 0, 0, 1, 1, 1);
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.matMulWithWeights(wf))) {
            Tensor y = s.run(Map.of("x", Tensor.ofFloats("x", D23, 1, 2, 3, 4, 5, 6))).get("y");
            assertThat(y.dims()).containsExactly(2, 2);
            assertThat(y.toFloats()).containsExactly(4, 5, 10, 11);
        }
        Tensor wd = Tensor.ofDoubles("w", new long[] {3, 2}, 0.5, 0, 0, 0.25, 1, 1);
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.matMulWithWeights(wd))) {
            Tensor y = s.run(Map.of("x", Tensor.ofDoubles("x", new long[] {1, 3}, 2, 4, 1e-300))).get("y");
            assertThat(y.toDoubles()).containsExactly(1 + 1e-300, 1 + 1e-300);
        }
    }

    @Test
    void addsInt64AndDoubleExactly() {
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.binary("Add", DataType.INT64, DataType.INT64,
                3))) {
            Tensor c = s.run(Map.of("a", Tensor.ofLongs("a", new long[] {3}, Long.MAX_VALUE - 1, -7, 1L << 40),
                    "b", Tensor.ofLongs("b", new long[] {3}, 1, 7, 1))).get("c");
            assertThat(c.toLongs()).containsExactly(Long.MAX_VALUE, 0, (1L << 40) + 1);
        }
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.binary("Mul", DataType.DOUBLE, DataType.DOUBLE,
                2))) {
            Tensor c = s.run(Map.of("a", Tensor.ofDoubles("a", new long[] {2}, 0.1, -3),
                    "b", Tensor.ofDoubles("b", new long[] {2}, 3, 1e-200))).get("c");
            assertThat(c.toDoubles()).containsExactly(0.1 * 3, -3e-200);
        }
    }

    @Test
    void castsFloatToFloat16AndBack() {
        // Closed-form IEEE half bit patterns: 1.5, -2.25, 0, 65504 (max), 2^-14 (min normal), 1025.
        float[] values = {1.5f, -2.25f, 0f, 65504f, 0x1p-14f, 1025f};
        short[] halves = {0x3E00, (short) 0xC080, 0x0000, 0x7BFF, 0x0400, 0x6401};
        long[] dims = {6};
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.cast(DataType.FLOAT, DataType.FLOAT16, 6))) {
            Tensor y = s.run(Map.of("x", Tensor.ofFloats("x", dims, values))).get("y");
            assertThat(y.dtype()).isEqualTo(DataType.FLOAT16);
            assertThat(shorts(y)).containsExactly(halves);
        }
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.cast(DataType.FLOAT16, DataType.FLOAT, 6))) {
            Tensor y = s.run(Map.of("x", Tensor.ofBytes("x", DataType.FLOAT16, dims, le(halves)))).get("y");
            assertThat(y.toFloats()).containsExactly(values);
        }
    }

    @Test
    void castsFloatToBfloat16AndBack() {
        // bfloat16 is the top half of a float: 1.5, -2.25, 3, -123.5 are exact.
        float[] values = {1.5f, -2.25f, 3f, -123.5f};
        short[] bf = {0x3FC0, (short) 0xC010, 0x4040, (short) 0xC2F7};
        long[] dims = {4};
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.cast(DataType.FLOAT, DataType.BFLOAT16, 4))) {
            Tensor y = s.run(Map.of("x", Tensor.ofFloats("x", dims, values))).get("y");
            assertThat(y.dtype()).isEqualTo(DataType.BFLOAT16);
            assertThat(shorts(y)).containsExactly(bf);
        }
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.cast(DataType.BFLOAT16, DataType.FLOAT, 4))) {
            Tensor y = s.run(Map.of("x", Tensor.ofBytes("x", DataType.BFLOAT16, dims, le(bf)))).get("y");
            assertThat(y.toFloats()).containsExactly(values);
        }
    }

    @Test
    void combinesBooleans() {
        long[] dims = {4};
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.binary("And", DataType.BOOL, DataType.BOOL,
                4))) {
            Tensor c = s.run(Map.of("a", Tensor.ofBooleans("a", dims, true, false, true, false),
                    "b", Tensor.ofBooleans("b", dims, true, true, false, false))).get("c");
            assertThat(c.dtype()).isEqualTo(DataType.BOOL);
            assertThat(bytes(c)).containsExactly(1, 0, 0, 0);
        }
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.binary("Less", DataType.FLOAT, DataType.BOOL,
                3))) {
            Tensor c = s.run(Map.of("a", Tensor.ofFloats("a", new long[] {3}, 1, 5, -1),
                    "b", Tensor.ofFloats("b", new long[] {3}, 2, 5, -2))).get("c");
            assertThat(bytes(c)).containsExactly(1, 0, 0);
        }
    }

    @Test
    void castsUint8AndInt8() {
        long[] dims = {4};
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.cast(DataType.UINT8, DataType.INT32, 4))) {
            Tensor y = s.run(Map.of("x", Tensor.ofBytes("x", DataType.UINT8, dims,
                    new byte[] {0, 1, (byte) 200, (byte) 255}))).get("y");
            assertThat(y.toInts()).containsExactly(0, 1, 200, 255);
        }
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.cast(DataType.FLOAT, DataType.INT8, 4))) {
            Tensor y = s.run(Map.of("x", Tensor.ofFloats("x", dims, -128, 127, -1, 3))).get("y");
            assertThat(y.dtype()).isEqualTo(DataType.INT8);
            assertThat(bytes(y)).containsExactly(-128, 127, -1, 3);
        }
    }

    @Test
    void readsAndWritesPackedInt4() {
        // int4 [-8, 7, 0, -1, 3], element 2i in the low nibble: 0x78, 0xF0, 0x03.
        byte[] packed = {0x78, (byte) 0xF0, 0x03};
        long[] dims = {5};
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.cast(DataType.INT4, DataType.INT8, 5))) {
            Tensor y = s.run(Map.of("x", Tensor.ofBytes("x", DataType.INT4, dims, packed))).get("y");
            assertThat(bytes(y)).containsExactly(-8, 7, 0, -1, 3);
        }
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.cast(DataType.INT8, DataType.INT4, 5))) {
            Tensor y = s.run(Map.of("x", Tensor.ofBytes("x", DataType.INT8, dims, new byte[] {-8, 7, 0, -1, 3})))
                    .get("y");
            assertThat(y.dtype()).isEqualTo(DataType.INT4);
            assertThat(bytes(y)).containsExactly(packed);
        }
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.cast(DataType.UINT4, DataType.UINT8, 3))) {
            Tensor y = s.run(Map.of("x", Tensor.ofBytes("x", DataType.UINT4, new long[] {3},
                    new byte[] {(byte) 0xF1, 0x09}))).get("y");
            assertThat(bytes(y)).containsExactly(1, 15, 9);
        }
    }

    @Test
    void passesStringTensorsThroughByteForByte() {
        List<byte[]> strings = List.of("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[0],
                "wörld".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[] {'a', 0, 'b'});
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.unary("Identity", DataType.STRING,
                DataType.STRING, List.of(), 2, 2))) {
            Tensor in = new Tensor("x", DataType.STRING, new long[] {2, 2},
                    new io.ortune.graph.ir.StringData(strings));
            Tensor y = s.run(Map.of("x", in)).get("y");
            assertThat(y.dtype()).isEqualTo(DataType.STRING);
            assertThat(y.contentEquals(in)).isTrue();
        }
    }

    @Test
    void handlesEmptyTensors() {
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.binary("Add", DataType.FLOAT, DataType.FLOAT,
                "n", 3))) {
            long[] empty = {0, 3};
            Tensor c = s.run(Map.of("a", Tensor.ofFloats("a", empty), "b", Tensor.ofFloats("b", empty))).get("c");
            assertThat(c.dims()).containsExactly(0, 3);
            assertThat(c.toFloats()).isEmpty();
        }
    }

    @Test
    void selectsOutputsAndCopiesToDirectMemory() {
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.sumAndProduct(3))) {
            Map<String, Tensor> feeds = Map.of("a", Tensor.ofFloats("a", new long[] {3}, 1, 2, 3),
                    "b", Tensor.ofFloats("b", new long[] {3}, 4, 5, 6));
            Map<String, Tensor> out = s.run(feeds, List.of("prod"), OutputMemory.DIRECT);
            assertThat(out).containsOnlyKeys("prod");
            assertThat(out.get("prod").bytes().isDirect()).isTrue();
            assertThat(out.get("prod").toFloats()).containsExactly(4, 10, 18);
            assertThat(s.run(feeds, List.of()).keySet()).containsExactly("sum", "prod");
        }
    }

    @Test
    void opensModelFilesWithOptions(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("add.onnx");
        Files.write(model, TestModels.binary("Add", DataType.FLOAT, DataType.FLOAT, 2));
        Path optimized = dir.resolve("add.optimized.onnx");
        SessionOptions opts = SessionOptions.builder().intraOpThreads(1).interOpThreads(1)
                .optimizationLevel(GraphOptimizationLevel.BASIC).executionMode(ExecutionMode.SEQUENTIAL)
                .memoryPattern(false).cpuArena(false).optimizedModelPath(optimized)
                .profiling(dir.resolve("profile")).freeDimension("unused", 4).build();
        try (InferenceSession s = InferenceSession.open(model, opts)) {
            assertThat(s.label()).isEqualTo(model.toString());
            Tensor c = s.run(Map.of("a", Tensor.ofFloats("a", new long[] {2}, 1, 2),
                    "b", Tensor.ofFloats("b", new long[] {2}, 3, 4))).get("c");
            assertThat(c.toFloats()).containsExactly(4, 6);
            Path profile = s.endProfiling();
            assertThat(profile.getFileName().toString()).startsWith("profile").endsWith(".json");
            assertThat(Files.size(profile)).isPositive();
            Files.delete(profile);
        }
        assertThat(Files.size(optimized)).isPositive();
    }

    @Test
    void runsNativeTensorsWithoutCopies() {
        Tensor w = Tensor.ofFloats("w", new long[] {3, 2}, 1, 0, 0, 1, 1, 1);
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.matMulWithWeights(w))) {
            ByteBuffer xBuf = ByteBuffer.allocateDirect(2 * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer yBuf = ByteBuffer.allocateDirect(2 * 2 * 4).order(ByteOrder.LITTLE_ENDIAN);
            try (NativeTensor x = NativeTensor.wrap(DataType.FLOAT, D23, xBuf);
                 NativeTensor y = NativeTensor.wrap(DataType.FLOAT, new long[] {2, 2}, yBuf)) {
                for (int k = 0; k < 100; k++) {
                    for (int i = 0; i < 6; i++) {
                        xBuf.putFloat(i * 4, k + i);
                    }
                    s.runInto(Map.of("x", x), Map.of("y", y));
                    // rows [k, k+1, k+2] and [k+3, k+4, k+5] times w: [x0 + x2, x1 + x2]
                    assertThat(yBuf.getFloat(0)).isEqualTo(2 * k + 2);
                    assertThat(yBuf.getFloat(4)).isEqualTo(2 * k + 3);
                    assertThat(yBuf.getFloat(8)).isEqualTo(2 * k + 8);
                    assertThat(yBuf.getFloat(12)).isEqualTo(2 * k + 9);
                }
                try (NativeOutputs out = s.runNative(Map.of("x", x), List.of("y"))) {
                    NativeTensor yy = out.get("y");
                    assertThat(yy.dtype()).isEqualTo(DataType.FLOAT);
                    assertThat(yy.dims()).containsExactly(2, 2);
                    assertThat(yy.buffer().isDirect()).isTrue();
                    assertThat(yy.buffer().getFloat(0)).isEqualTo(2 * 99 + 2);
                    assertThat(yy.toTensor("y").toFloats()).containsExactly(200, 201, 206, 207);
                }
            }
        }
    }

    @Test
    void allocatedTensorsCanBeFilledAndReused() {
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.binary("Add", DataType.INT64, DataType.INT64,
                2));
             NativeTensor a = NativeTensor.allocate(DataType.INT64, new long[] {2});
             NativeTensor b = NativeTensor.fromTensor(Tensor.ofLongs("b", new long[] {2}, 10, 20));
             NativeTensor c = NativeTensor.allocate(DataType.INT64, new long[] {2})) {
            a.buffer().putLong(0, 1).putLong(8, 2);
            s.runInto(Map.of("a", a, "b", b), Map.of("c", c));
            assertThat(c.toTensor("c").toLongs()).containsExactly(11, 22);
        }
    }

    @Test
    void runsConcurrentlyFromSeveralThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.binary("Mul", DataType.FLOAT, DataType.FLOAT,
                "n"))) {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                final float f = t;
                results.add(pool.submit(() -> s.run(Map.of("a", Tensor.ofFloats("a", new long[] {2}, f, 2 * f),
                        "b", Tensor.ofFloats("b", new long[] {2}, 2, 2))).get("c").toFloats()));
            }
            for (int t = 0; t < 16; t++) {
                assertThat(results.get(t).get()).containsExactly(2f * t, 4f * t);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closingIsIdempotentAndUseAfterCloseFails() {
        InferenceSession s = InferenceSession.fromBytes(TestModels.binary("Add", DataType.FLOAT, DataType.FLOAT, 1));
        s.close();
        s.close();
        assertThat(s.isClosed()).isTrue();
        assertThatThrownBy(() -> s.run(Map.of("a", Tensor.ofFloats("a", new long[] {1}, 1),
                "b", Tensor.ofFloats("b", new long[] {1}, 1))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        NativeTensor t = NativeTensor.fromTensor(Tensor.ofFloats("a", new long[] {1}, 1));
        t.close();
        t.close();
        assertThatThrownBy(t::buffer).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void wrapChecksItsBuffer() {
        assertThatThrownBy(() -> NativeTensor.wrap(DataType.FLOAT, D23, ByteBuffer.allocate(24)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("direct");
        assertThatThrownBy(() -> NativeTensor.wrap(DataType.FLOAT, D23, ByteBuffer.allocateDirect(20)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 24 bytes");
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static short[] shorts(Tensor t) {
        ByteBuffer b = t.bytes();
        short[] out = new short[b.remaining() / 2];
        b.asShortBuffer().get(out);
        return out;
    }

    private static byte[] bytes(Tensor t) {
        ByteBuffer b = t.bytes();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static byte[] le(short[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(values);
        return b.array();
    }
}
