package io.ortune.training.peft;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.runtime.InferenceSession;
import io.ortune.training.autodiff.Autodiff;
import io.ortune.training.autodiff.AutodiffResult;
import io.ortune.training.autodiff.TrainableSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Gradients of an injected adapter's tensors, from ortune's autodiff run in ONNX Runtime, against central finite
 * differences of the same loss {@code L = sum(output · r)} (r a fixed random tensor). The adapter tensors are first
 * moved off their initial values by seeded noise, so that no gradient is zero by construction (a zero-initialised
 * {@code up} projection would make the {@code down} gradients vanish).
 */
final class MethodGradients {

    /**
     * Float32 graphs: with h = 1e-2, rounding in L (float32, ~6e-8·|L|, |L| ≲ 10) adds ≲ 3e-5 to a difference
     * quotient and truncation (h²·f'''/6) stays below 1e-4 for these small smooth models; the gradient graph runs
     * in float32 too (~1e-6 relative). atol 2e-3 / rtol 1e-2 is ortune's float32 finite-difference tolerance.
     */
    static final double H = 1e-2;
    static final double ATOL = 2e-3;
    static final double RTOL = 1e-2;
    static final String REASON = "float32 central differences, h=1e-2";
    static final int PROBES = 12;

    private MethodGradients() {
    }

    static void check(String what, Model injected, Map<String, Tensor> feeds, String output, List<String> tensors,
                      long seed) {
        Random rnd = new Random(seed);
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
        long[] dims = MethodOrt.run(m, feeds, output).dims();
        GraphBuilder b = GraphBuilder.on(m);
        Value y = g.outputs().stream().filter(v -> v.name().equals(output)).findFirst().orElseThrow();
        float[] r = new float[(int) count(dims)];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) rnd.nextGaussian();
        }
        Value proj = b.initializer("peft_check.r", Tensor.ofFloats("peft_check.r", dims, r));
        b.output(b.reduceSum(b.mul(y, proj), null, false), "L");

        AutodiffResult res = Autodiff.differentiate(m, "L", TrainableSet.names(tensors));
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
        try (InferenceSession s = MethodOrt.session(fd)) {
            for (String name : tensors) {
                double[] grad = MethodOrt.values(grads.get(res.gradients().get(name).name()));
                float[] x = fdFeeds.get(name).toFloats();
                int[] probes = rnd.ints(0, x.length).distinct().limit(Math.min(PROBES, x.length)).toArray();
                double[] expected = new double[probes.length];
                double[] actual = new double[probes.length];
                for (int k = 0; k < probes.length; k++) {
                    expected[k] = central(s, fdFeeds, name, probes[k]);
                    actual[k] = grad[probes[k]];
                }
                MethodClose.assertClose(what + ": dL/d " + name + " vs central differences", actual, expected, ATOL, RTOL,
                        REASON);
            }
        }
    }

    private static double central(InferenceSession s, Map<String, Tensor> feeds, String name, int index) {
        Tensor t = feeds.get(name);
        float[] x = t.toFloats();
        float keep = x[index];
        Map<String, Tensor> f = new LinkedHashMap<>(feeds);
        float up = (float) (keep + H);
        float down = (float) (keep - H);
        x[index] = up;
        f.put(name, Tensor.ofFloats(name, t.dims(), x.clone()));
        double plus = loss(s, f);
        x[index] = down;
        f.put(name, Tensor.ofFloats(name, t.dims(), x.clone()));
        double minus = loss(s, f);
        return (plus - minus) / ((double) up - down);
    }

    private static double loss(InferenceSession s, Map<String, Tensor> feeds) {
        return MethodOrt.values(s.run(feeds, List.of("L")).get("L"))[0];
    }

    static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }
}
