package io.ortune.export.hotswap;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.export.adapter.PeftAdapters;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.LoraAdapter;
import io.ortune.runtime.RunOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One ONNX Runtime session on a hot-swap graph, switched per run between two adapters (different ranks and alphas)
 * and none: each run's logits against the model with that adapter attached statically (or the base model).
 */
class HotSwapSwitchTest {

    /**
     * Same graph and weights; the only difference is where A and B come from (a run-time input instead of a folded
     * constant) and, for the padded rank-2 adapter, extra zero terms in the rank sum. The bar is 1e-6.
     */
    static final double ATOL = 1e-6;
    static final double RTOL = 1e-6;

    static Model base;
    static Model withA;
    static Model withB;
    static HotSwapGraph.Result hot;

    @TempDir
    Path tmp;

    @BeforeAll
    static void models() {
        base = TinyLora.gpt2(24);
        withA = TinyLora.withLora(base, "default", 4, 8, 1);
        withB = TinyLora.withLora(base, "b", 2, 7, 2);
        hot = HotSwapGraph.make(withA, "default");
    }

    @Test
    void switchingGivesEachAdaptersOutputs() throws Exception {
        Path fileA = tmp.resolve("a.onnx_adapter");
        Path fileB = tmp.resolve("b.onnx_adapter");
        OnnxAdapterFile.write(HotSwapAdapters.forLayout(withA, "default", hot.layout()), fileA);
        OnnxAdapterFile.write(HotSwapAdapters.forLayout(withB, "b", hot.layout()), fileB);
        Tensor expectA = TinyLora.logits(withA);
        Tensor expectB = TinyLora.logits(withB);
        Tensor expectBase = TinyLora.logits(base);
        assertThat(maxAbs(expectA, expectBase)).as("adapter A changes the logits").isGreaterThan(1e-2);
        assertThat(maxAbs(expectB, expectBase)).as("adapter B changes the logits").isGreaterThan(1e-2);
        try (InferenceSession s = InferenceSession.fromBytes(TinyLora.bytes(hot.model()));
             LoraAdapter a = LoraAdapter.open(fileA);
             LoraAdapter b = LoraAdapter.fromBytes(Files.readAllBytes(fileB), "b");
             RunOptions runA = RunOptions.create().activate(a);
             RunOptions runB = RunOptions.withAdapters(List.of(b));
             RunOptions none = RunOptions.create()) {
            assertThat(s.inputNames()).containsExactly("input_ids", "attention_mask");
            assertThat(s.overridableInitializers()).hasSize(hot.layout().slots().size() * 3);
            Map<String, Tensor> feeds = TinyLora.feeds();
            assertClose("A", s.run(feeds, runA).get("logits"), expectA);
            assertClose("B (rank 2 padded to 4)", s.run(feeds, runB).get("logits"), expectB);
            assertClose("none", s.run(feeds, none).get("logits"), expectBase);
            assertClose("none (no run options)", s.run(feeds).get("logits"), expectBase);
            assertClose("A again", s.run(feeds, runA).get("logits"), expectA);
        }
    }

    @Test
    void concurrentRequestsWithDifferentAdaptersEachGetTheirOwn() throws Exception {
        Tensor expectA = TinyLora.logits(withA);
        Tensor expectB = TinyLora.logits(withB);
        try (InferenceSession s = InferenceSession.fromBytes(TinyLora.bytes(hot.model()));
             LoraAdapter a = LoraAdapter.fromBytes(OnnxAdapterFile.toBytes(
                     HotSwapAdapters.forLayout(withA, "default", hot.layout())), "a");
             LoraAdapter b = LoraAdapter.fromBytes(OnnxAdapterFile.toBytes(
                     HotSwapAdapters.forLayout(withB, "b", hot.layout())), "b");
             RunOptions runA = RunOptions.create().activate(a);
             RunOptions runB = RunOptions.create().activate(b)) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<Tensor>> results = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    RunOptions o = i % 2 == 0 ? runA : runB;
                    results.add(pool.submit(() -> s.run(TinyLora.feeds(), o).get("logits")));
                }
                for (int i = 0; i < results.size(); i++) {
                    assertClose("concurrent request " + i + (i % 2 == 0 ? " (A)" : " (B)"), results.get(i).get(),
                            i % 2 == 0 ? expectA : expectB);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void attachedDefaultsGiveTheAttachedAdapterWithoutAnyActive() {
        HotSwapGraph.Result attached = HotSwapGraph.make(withA, "default", HotSwapDefaults.ATTACHED);
        assertThat(attached.model().metadataProps()).containsEntry(HotSwapGraph.DEFAULTS, "attached");
        assertClose("attached defaults", TinyLora.logits(attached.model()), TinyLora.logits(withA));
    }

    @Test
    void peftFolderExportsTheSameParametersAsTheModel() throws Exception {
        Path dir = tmp.resolve("peft-b");
        PeftAdapters.extractTo(withB, "b", dir);
        OnnxAdapter fromFolder = HotSwapAdapters.fromPeftFolder(base, dir, hot.layout());
        OnnxAdapter fromModel = HotSwapAdapters.forLayout(withB, "b", hot.layout());
        assertThat(fromFolder.parameters()).hasSameSizeAs(fromModel.parameters());
        for (int i = 0; i < fromModel.parameters().size(); i++) {
            Tensor x = fromFolder.parameters().get(i);
            Tensor y = fromModel.parameters().get(i);
            assertThat(x.contentEquals(y)).as(y.name()).isTrue();
        }
        HotSwapChecks.check(fromFolder, dir.toString(), hot.model(), "the hot-swap graph");
    }

    @Test
    void parameterNamesAreTheGraphInputNames() {
        OnnxAdapter a = HotSwapAdapters.of(withA, "default");
        List<String> inputs = hot.model().graph().inputs().stream().map(v -> v.name()).toList();
        assertThat(inputs).containsAll(a.byName().keySet());
        assertThat(a.modelVersion()).isEqualTo(hot.layout().signature());
        assertThat(hot.model().metadataProps()).containsEntry(HotSwapGraph.SIGNATURE,
                Integer.toString(a.modelVersion()));
        assertThat(a.byName()).containsKey("transformer.h.0.attn.c_attn.lora_A.default.weight");
    }

    static double maxAbs(Tensor x, Tensor y) {
        float[] a = x.toFloats();
        float[] b = y.toFloats();
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** Shape, dtype, then |a−b| ≤ ATOL + RTOL·|b|, naming the worst index. */
    static void assertClose(String what, Tensor actual, Tensor expected) {
        assertThat(actual.dims()).as(what + ": shape").containsExactly(expected.dims());
        assertThat(actual.dtype()).as(what + ": dtype").isEqualTo(expected.dtype());
        float[] a = actual.toFloats();
        float[] e = expected.toFloats();
        int worst = -1;
        double worstExcess = 0;
        double maxAbs = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - e[i]);
            maxAbs = Math.max(maxAbs, d);
            double excess = d - (ATOL + RTOL * Math.abs(e[i]));
            if (excess > worstExcess) {
                worstExcess = excess;
                worst = i;
            }
        }
        System.out.printf("hot-swap %s: max |a-b| = %.3g%n", what, maxAbs);
        assertThat(worst).as(what + ": worst index %d (actual %s, expected %s), max abs error %.3g", worst,
                worst < 0 ? "-" : a[worst], worst < 0 ? "-" : e[worst], maxAbs).isEqualTo(-1);
    }
}
