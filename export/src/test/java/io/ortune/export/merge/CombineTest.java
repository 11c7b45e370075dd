package io.ortune.export.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.export.adapter.PeftAdapter;
import io.ortune.export.adapter.PeftAdapterFiles;
import io.ortune.export.adapter.PeftAdapters;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.peft.AdapterSwitch;
import io.ortune.graph.peft.BottleneckAdapterConfig;
import io.ortune.graph.peft.BottleneckAdapterPass;
import io.ortune.graph.peft.LinearMatcher;
import io.ortune.graph.peft.LinearSite;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Merges#combine} and {@link Merges#writeAdapter} on a tiny Llama with two trained LoRA adapters a (q,v r=4)
 * and b (q,o r=2, rsLoRA): merged weights against ΔW computed in the test from the tensors (float64), outputs
 * against the gated unmerged model, and written adapters attached again.
 */
class CombineTest {

    private static final String Q = "model.layers.0.self_attn.q_proj";
    private static final String V = "model.layers.0.self_attn.v_proj";

    @TempDir
    Path tmp;

    static Model base;
    static Model two;

    @BeforeAll
    static void build() {
        base = Fixtures.decoder("llama-tiny-gqa");
        Model a = Fixtures.trained(new LoraPass(LoraConfig.of("q_proj,v_proj").withR(4).withAlpha(8)
                .withAdapterName("a")).inject(base).model(), "a", 21);
        two = Fixtures.trained(new LoraPass(LoraConfig.of("q_proj,o_proj").withR(2).withAlpha(2).withRslora(true)
                .withAdapterName("b")).inject(a).model(), "b", 22);
    }

    /** s·B·A of {@code adapter} at {@code module}, [out, in], from the model's tensors. */
    static double[] delta(Model m, String adapter, String module) {
        double[] a = Dense.values(m.graph().initializer(module + ".lora_A." + adapter + ".weight").constant());
        double[] b = Dense.values(m.graph().initializer(module + ".lora_B." + adapter + ".weight").constant());
        double s = Dense.values(m.graph().initializer(module + ".lora_scaling." + adapter).constant())[0];
        LinearSite site = LinearMatcher.find(base.graph()).site(module).orElseThrow();
        int out = (int) site.outFeatures();
        int in = (int) site.inFeatures();
        int r = a.length / in;
        double[] d = new double[out * in];
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) {
                for (int t = 0; t < r; t++) {
                    d[i * in + j] += s * b[i * r + t] * a[t * in + j];
                }
            }
        }
        return d;
    }

    static double[] weight(Model m, String module) {
        LinearSite s = LinearMatcher.find(m.graph()).site(module).orElseThrow();
        return Dense.outIn(s.weight().constant(), s.layout(), (int) s.outFeatures(), (int) s.inFeatures());
    }

    @Test
    void linearSumsTaskVectorsWithoutCrossTerms() {
        MergeResult r = Merges.combine(two, CombineOptions.of(Combination.LINEAR, List.of("a", "b"),
                List.of(0.7, 0.3)));
        Fixtures.assertShapedLikeBase(r.model(), base);
        double[] w0 = weight(base, Q);
        double[] da = delta(two, "a", Q);
        double[] db = delta(two, "b", Q);
        double[] want = new double[w0.length];
        for (int i = 0; i < want.length; i++) {
            want[i] = w0[i] + 0.7 * da[i] + 0.3 * db[i];
        }
        double[] got = weight(r.model(), Q);
        Fixtures.assertClose("q_proj = W + 0.7 dWa + 0.3 dWb (float32 rounding)", got, want, 1e-7, 1e-6);
        double[] crossTermsFree = new double[want.length];
        for (int i = 0; i < want.length; i++) {
            crossTermsFree[i] = Math.abs(got[i] - w0[i] - (0.7 * da[i] + 0.3 * db[i]));
        }
        double maxCross = maxAbsCrossTerms(two, Q);
        assertThat(maxCross).as("mixing A and B factors would add cross terms this large").isGreaterThan(1e-3);
        assertThat(java.util.Arrays.stream(crossTermsFree).max().orElseThrow()).isLessThan(1e-6);
        Map<String, Tensor> feeds = Fixtures.feeds(false);
        Tensor gated = Fixtures.run(AdapterSwitch.weighted(two, Map.of("a", 0.7, "b", 0.3)), feeds, "logits");
        Fixtures.assertClose("linear combination vs gated unmerged", Fixtures.run(r.model(), feeds, "logits"), gated,
                Fixtures.ATOL, Fixtures.RTOL);
    }

    /** max |(√wa·sa·Ba + ... concatenated) cross products| = |√(wa·wb)·(sa·Ba·Ab' ...)|: the PEFT factor-mix error. */
    private static double maxAbsCrossTerms(Model m, String module) {
        double[] a1 = Dense.values(m.graph().initializer(module + ".lora_A.a.weight").constant());
        double[] b2 = Dense.values(m.graph().initializer(module + ".lora_B.b.weight").constant());
        int in = a1.length / 4;
        int out = b2.length / 2;
        double max = 0;
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) {
                double v = 0;
                for (int t = 0; t < 2; t++) {
                    v += b2[i * 2 + t] * a1[t * in + j];
                }
                max = Math.max(max, Math.abs(v));
            }
        }
        return max;
    }

    @Test
    void taskArithmeticTakesNegativeWeights() {
        MergeResult r = Merges.combine(two, CombineOptions.of(Combination.TASK_ARITHMETIC, List.of("a", "b"),
                List.of(1.0, -0.5)));
        double[] w0 = weight(base, V);
        double[] da = delta(two, "a", V);
        double[] want = new double[w0.length];
        for (int i = 0; i < want.length; i++) {
            want[i] = w0[i] + da[i];
        }
        Fixtures.assertClose("v_proj: only a touches it", weight(r.model(), V), want, 1e-7, 1e-6);
        Map<String, Tensor> feeds = Fixtures.feeds(false);
        Fixtures.assertClose("task arithmetic vs gated unmerged", Fixtures.run(r.model(), feeds, "logits"),
                Fixtures.run(AdapterSwitch.weighted(two, Map.of("a", 1.0, "b", -0.5)), feeds, "logits"),
                Fixtures.ATOL, Fixtures.RTOL);
    }

    @Test
    void tiesOnTheModelMatchesTheReferenceOnTheFullDeltas() {
        CombineOptions o = CombineOptions.of(Combination.TIES, List.of("a", "b"), List.of(0.6, 0.9)).withDensity(0.3)
                .withMajoritySign(MajoritySign.FREQUENCY);
        MergeResult r = Merges.combine(two, o);
        double[] w0 = weight(base, Q);
        double[][] t = {ReferenceMergeUtils.prune(delta(two, "a", Q), 0.3),
            ReferenceMergeUtils.prune(delta(two, "b", Q), 0.3)};
        double[] mixed = ReferenceMergeUtils.electAndMean(t, new double[] {0.6, 0.9}, true);
        double[] want = new double[w0.length];
        for (int i = 0; i < want.length; i++) {
            want[i] = w0[i] + mixed[i];
        }
        Fixtures.assertClose("ties q_proj", weight(r.model(), Q), want, 1e-7, 1e-6);
        assertThat(r.report().detail()).contains("ties").contains("density=0.3").contains("majority_sign=frequency");
    }

    @Test
    void dareTiesIsReproducibleFromTheSeed() {
        CombineOptions o = CombineOptions.of(Combination.DARE_TIES, List.of("a", "b"), List.of(1.0, 1.0))
                .withDensity(0.5).withSeed(7);
        double[] x = weight(Merges.combine(two, o).model(), Q);
        double[] y = weight(Merges.combine(two, o).model(), Q);
        double[] z = weight(Merges.combine(two, o.withSeed(8)).model(), Q);
        assertThat(x).containsExactly(y);
        assertThat(x).isNotEqualTo(z);
    }

    @Test
    void catWritesAnExactAdapterOfRankSumOfRanks() throws IOException {
        CombineOptions o = CombineOptions.of(Combination.CAT, List.of("a", "b"), List.of(0.7, 0.3));
        Path dir = tmp.resolve("cat");
        MergeResult r = Merges.writeAdapter(two, o, dir);
        PeftAdapter file = PeftAdapterFiles.read(dir, base);
        assertThat(file.tensor("base_model.model." + Q + ".lora_A.weight").dims()[0]).isEqualTo(6);
        assertThat(file.tensor("base_model.model." + V + ".lora_A.weight").dims()[0]).isEqualTo(4);
        Model attached = PeftAdapters.attach(base, file, "default").model();
        Map<String, Tensor> feeds = Fixtures.feeds(false);
        Fixtures.assertClose("cat adapter vs linear merge", Fixtures.run(attached, feeds, "logits"),
                Fixtures.run(Merges.combine(two, o).model(), feeds, "logits"), Fixtures.ATOL, Fixtures.RTOL);
        assertThat(r.report().detail()).contains("max |combined dW - s*B*A|");
    }

    @Test
    void svdAdapterReproducesTheCombinedDeltaToTruncationError() throws IOException {
        CombineOptions full = CombineOptions.of(Combination.SVD, List.of("a", "b"), List.of(0.7, 0.3))
                .withSvdRank(6);
        PeftAdapter exact = readBack(full, "svd6");
        double[] want = new double[weight(base, Q).length];
        double[] da = delta(two, "a", Q);
        double[] db = delta(two, "b", Q);
        for (int i = 0; i < want.length; i++) {
            want[i] = 0.7 * da[i] + 0.3 * db[i];
        }
        Model m6 = PeftAdapters.attach(base, exact, "default").model();
        Fixtures.assertClose("rank 6 >= 4 + 2: exact", delta(m6, "default", Q), want, 1e-6, 1e-5);
        Model m4 = PeftAdapters.attach(base, readBack(full.withSvdRank(4), "svd4"), "default").model();
        double err4 = frobenius(delta(m4, "default", Q), want);
        double[] onlyA = new double[want.length];
        for (int i = 0; i < want.length; i++) {
            onlyA[i] = 0.7 * da[i];
        }
        assertThat(err4).as("Eckart-Young: the rank-4 SVD is at least as close as the rank-4 0.7*dWa")
                .isLessThanOrEqualTo(frobenius(onlyA, want) * (1 + 1e-6));
        assertThat(err4).as("but rank 4 < 6 truncates something").isGreaterThan(1e-6);
    }

    private PeftAdapter readBack(CombineOptions o, String name) throws IOException {
        Path dir = tmp.resolve(name);
        Merges.writeAdapter(two, o, dir);
        return PeftAdapterFiles.read(dir, base);
    }

    private static double frobenius(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (x[i] - y[i]) * (x[i] - y[i]);
        }
        return Math.sqrt(s);
    }

    @Test
    void badOptionsAndAdaptersAreRefusedAndNothingIsWritten() {
        assertThatThrownBy(() -> CombineOptions.of(Combination.LINEAR, List.of("a", "b"), List.of(1.0)))
                .hasMessageContaining("--weights has 1 values for 2 adapters");
        assertThatThrownBy(() -> Merges.combine(two, CombineOptions.of(Combination.SVD, List.of("a"), List.of(1.0))))
                .hasMessageContaining("--svd-rank");
        assertThatThrownBy(() -> CombineOptions.of(Combination.TIES, List.of("a"), List.of(1.0)).withDensity(1.5))
                .hasMessageContaining("--density must be in [0, 1]");
        assertThatThrownBy(() -> Combination.parse("mean")).hasMessageContaining("--combination mean")
                .hasMessageContaining("dare_ties");
        assertThatThrownBy(() -> Merges.combine(two, CombineOptions.of(Combination.LINEAR, List.of("a", "zz"),
                List.of(1.0, 1.0)))).hasMessageContaining("no adapter named 'zz'").hasMessageContaining("[a, b]");
        Model bn = new BottleneckAdapterPass(new BottleneckAdapterConfig("bn", BottleneckAdapterConfig.Style.HOULSBY,
                16, BottleneckAdapterConfig.Activation.RELU, null, null, null, 0)).inject(two).model();
        Path dir = tmp.resolve("never");
        assertThatThrownBy(() -> Merges.writeAdapter(bn, CombineOptions.of(Combination.LINEAR, List.of("a", "bn"),
                List.of(1.0, 1.0)), dir)).hasMessageContaining("adapter 'bn' cannot be combined")
                .hasMessageContaining("nonlinear");
        assertThat(Files.exists(dir)).isFalse();
    }
}
