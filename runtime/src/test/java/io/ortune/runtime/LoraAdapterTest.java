package io.ortune.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.flatbuffers.FlatBufferBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link LoraAdapter} and {@link RunOptions} on {@code y = x + w}, where {@code w} is a graph input with an
 * initializer default: the adapter file (written here by hand with flatbuffers, independent of the export module's
 * writer) replaces {@code w} for the runs that activate it only. Integer-valued floats: results are exact.
 */
class LoraAdapterTest {

    @BeforeAll
    static void runtime() {
        Assumptions.assumeTrue(OrtRuntime.isAvailable(), "ONNX Runtime is not available");
    }

    private static byte[] model() {
        Graph g = new Graph("add_w");
        Value x = g.addInput("x", ValueType.tensor(DataType.FLOAT, 3));
        Value w = g.addInitializer(Tensor.ofFloats("w", new long[] {3}, 1, 2, 3));
        g.addInput(w);
        var n = g.addNode("add", "", "Add", List.of(x, w), List.of("y"), List.of());
        n.outputs().get(0).setType(ValueType.tensor(DataType.FLOAT, 3));
        g.addOutput(n.outputs().get(0));
        return TestModels.bytes(TestModels.model(g));
    }

    /** A TORT flatbuffer with one float parameter {@code name} of values {@code v}. */
    private static byte[] adapter(String name, float... v) {
        FlatBufferBuilder b = new FlatBufferBuilder(256);
        ByteBuffer raw = b.createUnintializedVector(1, 4 * v.length, 8);
        ByteBuffer le = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
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
        b.addOffset(0, n, 0);
        b.addOffset(1, dims, 0);
        b.addInt(2, 1, 0);
        b.addOffset(3, data, 0);
        int param = b.endTable();
        int params = b.createVectorOfTables(new int[] {param});
        b.startTable(4);
        b.addInt(0, 1, 0);
        b.addInt(1, 1, 0);
        b.addInt(2, 0, 0);
        b.addOffset(3, params, 0);
        b.finish(b.endTable(), "TORT");
        return b.sizedByteArray();
    }

    private static float[] y(InferenceSession s, RunOptions o) {
        Map<String, Tensor> feeds = Map.of("x", Tensor.ofFloats("x", new long[] {3}, 100, 200, 300));
        return (o == null ? s.run(feeds) : s.run(feeds, o)).get("y").toFloats();
    }

    @Test
    void adapterReplacesTheDefaultOnlyForRunsThatActivateIt() {
        try (InferenceSession s = InferenceSession.fromBytes(model());
             LoraAdapter a = LoraAdapter.fromBytes(adapter("w", 10, 20, 30), "a");
             RunOptions withA = RunOptions.create().activate(a).tag("with-a");
             RunOptions none = RunOptions.create()) {
            assertThat(s.inputNames()).containsExactly("x");
            assertThat(s.overridableInitializers()).extracting(ValueInfo::name).containsExactly("w");
            assertThat(y(s, null)).containsExactly(101, 202, 303);
            assertThat(y(s, withA)).containsExactly(110, 220, 330);
            assertThat(y(s, none)).containsExactly(101, 202, 303);
            assertThat(y(s, withA)).containsExactly(110, 220, 330);
            assertThat(withA.activeAdapters()).containsExactly(a);
        }
    }

    @Test
    void adapterOfAnotherShapeFailsTheRunWithOrtsMessage() {
        try (InferenceSession s = InferenceSession.fromBytes(model());
             LoraAdapter a = LoraAdapter.fromBytes(adapter("w", 1, 2), "short");
             RunOptions o = RunOptions.withAdapters(List.of(a))) {
            assertThatThrownBy(() -> y(s, o)).isInstanceOf(OrtException.class)
                    .hasMessageContaining("running").hasMessageContaining("RunOptions[adapters [short]]");
        }
    }

    @Test
    void closedObjectsAreRefused() {
        try (InferenceSession s = InferenceSession.fromBytes(model())) {
            LoraAdapter a = LoraAdapter.fromBytes(adapter("w", 1, 1, 1), "a");
            RunOptions o = RunOptions.create().activate(a);
            a.close();
            assertThatThrownBy(() -> y(s, o)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("LoRA adapter a is closed");
            o.close();
            o.close();
            assertThatThrownBy(() -> y(s, o)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("run options are closed");
            try (RunOptions other = RunOptions.create()) {
                assertThatThrownBy(() -> other.activate(a)).isInstanceOf(IllegalStateException.class);
            }
        }
        assertThatThrownBy(() -> LoraAdapter.fromBytes(new byte[] {1, 2, 3}, "junk"))
                .isInstanceOf(OrtException.class).hasMessageContaining("loading LoRA adapter junk");
    }
}
