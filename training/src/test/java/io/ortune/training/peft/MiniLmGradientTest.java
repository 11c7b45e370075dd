package io.ortune.training.peft;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.pass.Opset13UpgradePass;
import io.ortune.graph.peft.BottleneckAdapterConfig;
import io.ortune.graph.peft.BottleneckAdapterConfig.Activation;
import io.ortune.graph.peft.BottleneckAdapterPass;
import io.ortune.graph.peft.Ia3Config;
import io.ortune.graph.peft.Ia3Pass;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.PrefixTuningConfig;
import io.ortune.graph.peft.PrefixTuningPass;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.OrtRuntime;
import io.ortune.training.autodiff.Autodiff;
import io.ortune.training.autodiff.AutodiffResult;
import io.ortune.training.autodiff.TrainableSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adapter gradients on the real all-MiniLM-L6-v2 export (opset 11, lifted to 13 by {@link Opset13UpgradePass}):
 * for LoRA on query/value, prefix tuning, IA3 and Houlsby bottleneck adapters, ortune's autodiff of
 * {@code L = mean(last_hidden_state · r)} (r fixed, seeded), run in ONNX Runtime, against central finite differences
 * of L along seeded random unit directions, one pair of directions per adapter tensor. The adapters are first moved
 * off their initial values by seeded noise (a zero LoRA B or adapter up-projection would make the other gradient
 * vanish; IA3's ones would hide a wrong sign on the scaled input). Prefix tuning's Concat gradient reads shape
 * ranges, which at opset 13 are Shape + Slice (Shape's start/end attributes are opset 15).
 */
class MiniLmGradientTest {

    static final String OUTPUT = "last_hidden_state";
    /**
     * Step along a unit direction. Float32 rounding of L through six layers puts ~1e-8 of noise on L, i.e. ~3e-7 on a
     * difference quotient over 2h = 6e-2, and the truncation term (h squared times the third derivative, over 6) is of
     * the same order here: it dominates at h = 1e-1 (7e-6 on the bottleneck adapter), rounding dominates at h = 1e-2
     * (1e-6 on LoRA). At h = 3e-2 the worst |autodiff - central| is 4.6e-7 over all four methods, against directional
     * derivatives of 7e-7..2e-3.
     */
    static final double H = 3e-2;
    /** About twice the worst error measured at h = 3e-2 (deterministic: seeded, one thread, no ORT fusions). */
    static final double ATOL = 1e-6;
    static final double RTOL = 1e-2;
    static final String REASON = "float32 MiniLM, central differences along unit directions, h=3e-2";
    static final int DIRECTIONS = 2;

    @BeforeAll
    static void runtime() {
        Assumptions.assumeTrue(OrtRuntime.isAvailable(), "ONNX Runtime natives cannot be loaded on this machine");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lora", "prefix", "ia3", "adapter"})
    void adapterGradientsMatchCentralDifferences(String method) {
        Model base = new Opset13UpgradePass().run(MethodModels.miniLm()).model();
        assertThat(base.opsetVersion("")).isEqualTo(13);
        Injection inj = switch (method) {
            case "lora" -> new LoraPass(LoraConfig.of("query,value").withR(4).withSeed(3)).inject(base);
            case "prefix" -> new PrefixTuningPass(PrefixTuningConfig.of(3).withSeed(3)).inject(base);
            case "ia3" -> new Ia3Pass(Ia3Config.defaults()).inject(base);
            default -> new BottleneckAdapterPass(BottleneckAdapterConfig.defaults().withReductionFactor(32)
                    .withActivation(Activation.GELU) // ReLU kinks break central differences
                    .withSeed(3)).inject(base);
        };
        List<String> tensors = new ArrayList<>(new TreeSet<>(PeftMetadata.trainable(inj.model()).orElseThrow()));
        assertThat(tensors).as("%s: adapter tensors", method).isNotEmpty();
        check(method, inj.model(), tensors, 17);
    }

    private static void check(String what, Model injected, List<String> tensors, long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> feeds = MethodModels.bertFeeds(2, 5, 30522, 4);
        Model m = GraphCopier.copy(injected);
        Graph g = m.graph();
        for (String name : tensors) {
            Value v = g.initializer(name);
            float[] f = v.constant().toFloats();
            for (int i = 0; i < f.length; i++) {
                f[i] += (float) (0.1 * rnd.nextGaussian());
            }
            g.setInitializerTensor(v, Tensor.ofFloats(name, v.constant().dims(), f));
        }
        long[] dims = MethodOrt.run(m, feeds, OUTPUT).dims();
        float[] r = new float[(int) MethodGradients.count(dims)];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) rnd.nextGaussian();
        }
        GraphBuilder b = GraphBuilder.on(m);
        Value y = g.outputs().stream().filter(v -> v.name().equals(OUTPUT)).findFirst().orElseThrow();
        Value proj = b.initializer("grad_check.r", Tensor.ofFloats("grad_check.r", dims, r));
        b.output(b.reduceMean(b.mul(y, proj), null, false), "L");

        AutodiffResult res = Autodiff.differentiate(m, "L", TrainableSet.names(PeftMetadata.trainable(m).orElseThrow()));
        List<String> outs = new ArrayList<>();
        for (String name : tensors) {
            outs.add(res.gradients().get(name).name());
        }
        Map<String, Tensor> grads = MethodOrt.run(res.model(), feeds, outs);

        Model fd = GraphCopier.copy(m);
        Map<String, Tensor> fdFeeds = new LinkedHashMap<>(feeds);
        for (String name : tensors) {
            Value v = fd.graph().initializer(name);
            fd.graph().addInput(v);
            fdFeeds.put(name, v.constant());
        }
        double[] actual = new double[tensors.size() * DIRECTIONS];
        double[] expected = new double[actual.length];
        int k = 0;
        try (InferenceSession s = MethodOrt.session(fd)) {
            for (String name : tensors) {
                double[] grad = MethodOrt.values(grads.get(res.gradients().get(name).name()));
                float[] x = fdFeeds.get(name).toFloats();
                for (int d = 0; d < DIRECTIONS; d++) {
                    double[] dir = unit(rnd, x.length);
                    double dot = 0;
                    for (int i = 0; i < x.length; i++) {
                        dot += grad[i] * dir[i];
                    }
                    actual[k] = dot;
                    expected[k] = central(s, fdFeeds, name, x, dir);
                    k++;
                }
            }
        }
        MethodClose.assertClose("MiniLM " + what + ": directional dL/d adapter vs central differences", actual, expected,
                ATOL, RTOL, REASON);
    }

    private static double[] unit(Random rnd, int n) {
        double[] d = new double[n];
        double norm = 0;
        for (int i = 0; i < n; i++) {
            d[i] = rnd.nextGaussian();
            norm += d[i] * d[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < n; i++) {
            d[i] /= norm;
        }
        return d;
    }

    private static double central(InferenceSession s, Map<String, Tensor> feeds, String name, float[] x, double[] dir) {
        Tensor t = feeds.get(name);
        float[] up = new float[x.length];
        float[] down = new float[x.length];
        double span = 0;
        double weight = 0;
        for (int i = 0; i < x.length; i++) {
            up[i] = (float) (x[i] + H * dir[i]);
            down[i] = (float) (x[i] - H * dir[i]);
            span += ((double) up[i] - down[i]) * dir[i];
            weight += dir[i] * dir[i];
        }
        Map<String, Tensor> f = new LinkedHashMap<>(feeds);
        f.put(name, Tensor.ofFloats(name, t.dims(), up));
        double plus = s.run(f, List.of("L")).get("L").toFloats()[0];
        f.put(name, Tensor.ofFloats(name, t.dims(), down));
        double minus = s.run(f, List.of("L")).get("L").toFloats()[0];
        return (plus - minus) / (span / weight);
    }
}
