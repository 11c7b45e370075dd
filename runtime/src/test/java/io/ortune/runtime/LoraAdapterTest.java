package io.ortune.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.ir.Tensor;
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

    private static float[] y(InferenceSession s, RunOptions o) {
        Map<String, Tensor> feeds = Map.of("x", Tensor.ofFloats("x", new long[] {3}, 100, 200, 300));
        return (o == null ? s.run(feeds) : s.run(feeds, o)).get("y").toFloats();
    }

    @Test
    void adapterReplacesTheDefaultOnlyForRunsThatActivateIt() {
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.addOverridable(3));
             LoraAdapter a = LoraAdapter.fromBytes(TestModels.loraAdapter("w", 10, 20, 30), "a");
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
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.addOverridable(3));
             LoraAdapter a = LoraAdapter.fromBytes(TestModels.loraAdapter("w", 1, 2), "short");
             RunOptions o = RunOptions.withAdapters(List.of(a))) {
            assertThatThrownBy(() -> y(s, o)).isInstanceOf(OrtException.class)
                    .hasMessageContaining("running").hasMessageContaining("RunOptions[adapters [short]]");
        }
    }

    @Test
    void closedObjectsAreRefused() {
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.addOverridable(3))) {
            LoraAdapter a = LoraAdapter.fromBytes(TestModels.loraAdapter("w", 1, 1, 1), "a");
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
