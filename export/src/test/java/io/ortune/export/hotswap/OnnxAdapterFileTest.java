package io.ortune.export.hotswap;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;
import io.ortune.runtime.LoraAdapter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code .onnx_adapter} write → read round trip, the flatbuffer's layout, and ONNX Runtime loading our files. */
class OnnxAdapterFileTest {

    @TempDir
    Path tmp;

    static OnnxAdapter sample() {
        return new OnnxAdapter(3, 12345, List.of(
                Tensor.ofFloats("m.lora_A.default.weight", new long[] {2, 3}, 1, -2, 3.5f, 0, 1e-8f, -0f),
                Tensor.ofBytes("odd", DataType.UINT8, new long[] {5}, new byte[] {1, 2, 3, 4, 5}),
                Tensor.ofDoubles("m.lora_scaling.default", new long[0], 2.0),
                Tensor.ofBytes("h", DataType.FLOAT16, new long[] {1, 3}, new byte[] {0, 60, 0, -68, 1, 0}),
                Tensor.ofFloats("empty", new long[] {0, 4})));
    }

    @Test
    void roundTripIsExact() throws Exception {
        Path f = tmp.resolve("s.onnx_adapter");
        OnnxAdapter a = sample();
        OnnxAdapterFile.write(a, f);
        OnnxAdapter back = OnnxAdapterFile.read(f);
        assertThat(back.adapterVersion()).isEqualTo(3);
        assertThat(back.modelVersion()).isEqualTo(12345);
        assertThat(back.parameters()).hasSize(a.parameters().size());
        for (int i = 0; i < a.parameters().size(); i++) {
            Tensor x = a.parameters().get(i);
            Tensor y = back.parameters().get(i);
            assertThat(y.name()).isEqualTo(x.name());
            assertThat(y.dtype()).isEqualTo(x.dtype());
            assertThat(y.dims()).containsExactly(x.dims());
            assertThat(y.contentEquals(x)).as(x.name()).isTrue();
        }
        assertThat(OnnxAdapterFile.toBytes(back)).isEqualTo(OnnxAdapterFile.toBytes(a));
    }

    @Test
    void layoutFollowsTheSchema() {
        byte[] bytes = OnnxAdapterFile.toBytes(sample());
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(bytes, 4, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("TORT");
        FlatView root = FlatView.root(bb, "sample");
        assertThat(root.getInt(OnnxAdapterFile.ADAPTER_FORMAT_VERSION, 0)).isEqualTo(1);
        List<FlatView> params = root.getTables(OnnxAdapterFile.ADAPTER_PARAMETERS);
        assertThat(params).hasSize(5);
        for (FlatView p : params) {
            int data = rawDataPosition(bb, p);
            assertThat(data % 8).as("raw_data of %s is 8-byte aligned", p.getString(OnnxAdapterFile.PARAM_NAME))
                    .isZero();
        }
        assertThat(params.get(1).getInt(OnnxAdapterFile.PARAM_DATA_TYPE, 0)).isEqualTo(2);
        assertThat(params.get(0).getLongs(OnnxAdapterFile.PARAM_DIMS)).containsExactly(2, 3);
    }

    /** Where the raw_data bytes start: the vector's length word + 4, found by searching the known bytes. */
    private static int rawDataPosition(ByteBuffer bb, FlatView p) {
        byte[] raw = p.getBytes(OnnxAdapterFile.PARAM_RAW_DATA);
        if (raw.length == 0) {
            return 0;
        }
        byte[] all = bb.array();
        outer:
        for (int i = 4; i + raw.length <= all.length; i++) {
            if (bb.getInt(i - 4) != raw.length) {
                continue;
            }
            for (int j = 0; j < raw.length; j++) {
                if (all[i + j] != raw[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("raw_data not found");
    }

    @Test
    void onnxRuntimeLoadsOurFiles() throws Exception {
        Path f = tmp.resolve("s.onnx_adapter");
        OnnxAdapterFile.write(sample(), f);
        try (LoraAdapter fromFile = LoraAdapter.open(f);
             LoraAdapter fromBytes = LoraAdapter.fromBytes(OnnxAdapterFile.toBytes(sample()), "sample")) {
            assertThat(fromFile.isClosed()).isFalse();
            assertThat(fromBytes.label()).isEqualTo("sample");
        }
    }
}
