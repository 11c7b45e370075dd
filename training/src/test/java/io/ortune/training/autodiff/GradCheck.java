package io.ortune.training.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.runtime.InferenceSession;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Checks gradient rules numerically: builds the forward graph of an {@link OpCase} with loss
 * {@code L = sum(y * r)}, differentiates it, runs the gradient model in ONNX Runtime (optimizations off), and
 * compares every gradient with central differences of L computed by running the forward graph.
 */
final class GradCheck {

    /** At most this many elements per input are checked by central differences (a seeded random subset). */
    static final int MAX_PROBES = 48;

    /** A built forward model, its feeds and the names of the inputs that get gradients. */
    record Forward(Model model, Map<String, Tensor> feeds, List<String> trainable) { }

    private GradCheck() {
    }

    static Forward forward(OpCase c) {
        Random rnd = new Random(c.name().hashCode());
        GraphBuilder b = GraphBuilder.create("case", c.opset());
        List<Value> xs = new ArrayList<>();
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        List<String> trainable = new ArrayList<>();
        for (int i = 0; i < c.inputs().size(); i++) {
            OpCase.Input in = c.inputs().get(i);
            Object[] dims = new Object[in.dims().length];
            for (int d = 0; d < dims.length; d++) {
                dims[d] = in.dims()[d];
            }
            xs.add(b.input(in.name(), c.dtype(), dims));
            int n = (int) count(in.dims());
            feeds.put(in.name(), Ort.tensor(in.name(), c.dtype(), in.dims(), in.sampler().sample(rnd, n, i)));
            if (in.differentiable()) {
                trainable.add(in.name());
            }
        }
        Value y = c.body().build(b, xs);
        long[] yDims = GradContext.staticDims(y);
        assertThat(yDims).as("static output shape of case %s (y: %s)", c.name(), y).isNotNull();
        double[] r = Sampler.REAL.sample(rnd, (int) count(yDims), 99);
        Value proj = b.initializer("r", Ort.tensor("r", y.dtype(), yDims, r));
        b.output(b.reduceSum(b.mul(y, proj), null, false), "L");
        return new Forward(b.model(), feeds, trainable);
    }

    /** Differentiates, runs, compares with central differences; returns the result for further checks. */
    static AutodiffResult check(OpCase c) {
        Forward f = forward(c);
        AutodiffResult res = Autodiff.differentiate(f.model(), "L", TrainableSet.names(f.trainable()), c.options());
        Map<String, double[]> grads = run(res, f);
        Random rnd = new Random(c.name().hashCode() * 31L);
        double h = Tolerance.stepFor(c.dtype());
        try (InferenceSession s = Ort.session(f.model())) {
            for (String name : f.trainable()) {
                Tensor x = f.feeds().get(name);
                int[] probes = probes(rnd, (int) x.elementCount());
                double[] fd = new double[probes.length];
                for (int k = 0; k < probes.length; k++) {
                    fd[k] = centralDifference(s, f.feeds(), name, probes[k], h);
                }
                Closeness.assertClose(c + ": d L / d " + name + " vs central differences", grads.get(name), fd,
                        probes, c.tolerance());
            }
        }
        return res;
    }

    /** Runs the gradient model; checks each gradient's dtype and shape against its input. */
    static Map<String, double[]> run(AutodiffResult res, Forward f) {
        List<String> outs = new ArrayList<>();
        for (String name : f.trainable()) {
            assertThat(res.gradients()).as("gradients").containsKey(name);
            outs.add(res.gradients().get(name).name());
        }
        Map<String, Tensor> got = Ort.run(res.model(), f.feeds(), outs);
        Map<String, double[]> grads = new LinkedHashMap<>();
        for (String name : f.trainable()) {
            Tensor t = got.get(res.gradients().get(name).name());
            Tensor x = f.feeds().get(name);
            assertThat(t.dims()).as("shape of the gradient of %s", name).containsExactly(x.dims());
            assertThat(t.dtype()).as("dtype of the gradient of %s", name).isEqualTo(x.dtype());
            grads.put(name, Ort.values(t));
        }
        return grads;
    }

    /** The gradients of a case under {@code options}, without the finite-difference comparison. */
    static Map<String, double[]> gradients(OpCase c, AutodiffOptions options) {
        Forward f = forward(c);
        AutodiffResult res = Autodiff.differentiate(f.model(), "L", TrainableSet.names(f.trainable()), options);
        return run(res, f);
    }

    /**
     * The adjoint identity ⟨c, J t⟩ = ⟨Jᵀ c, t⟩ for seeded random directions t over all trainable inputs: the
     * left
     * side by a central difference of L along t, the right side from the gradient model.
     */
    static void adjoint(OpCase c, int directions) {
        Forward f = forward(c);
        AutodiffResult res = Autodiff.differentiate(f.model(), "L", TrainableSet.names(f.trainable()), c.options());
        Map<String, double[]> grads = run(res, f);
        Random rnd = new Random(c.name().hashCode() * 17L);
        double h = Tolerance.stepFor(c.dtype());
        double[] lhs = new double[directions];
        double[] rhs = new double[directions];
        try (InferenceSession s = Ort.session(f.model())) {
            for (int d = 0; d < directions; d++) {
                Map<String, double[]> t = new LinkedHashMap<>();
                for (String name : f.trainable()) {
                    double[] dir = Sampler.REAL.sample(rnd, (int) f.feeds().get(name).elementCount(), 0);
                    t.put(name, dir);
                    rhs[d] += dot(grads.get(name), dir);
                }
                lhs[d] = (loss(s, shifted(f, t, h)) - loss(s, shifted(f, t, -h))) / (2 * h);
            }
        }
        Closeness.assertClose(c + ": <Jᵀc, t> vs <c, J t>", rhs, lhs, null, c.tolerance());
    }

    private static Map<String, Tensor> shifted(Forward f, Map<String, double[]> t, double h) {
        Map<String, Tensor> out = new LinkedHashMap<>(f.feeds());
        for (Map.Entry<String, double[]> e : t.entrySet()) {
            Tensor x = f.feeds().get(e.getKey());
            double[] v = Ort.values(x);
            for (int i = 0; i < v.length; i++) {
                v[i] += h * e.getValue()[i];
            }
            out.put(e.getKey(), Ort.tensor(e.getKey(), x.dtype(), x.dims(), v));
        }
        return out;
    }

    static double centralDifference(InferenceSession s, Map<String, Tensor> feeds, String name, int index,
                                    double h) {
        Tensor x = feeds.get(name);
        double[] v = Ort.values(x);
        double keep = v[index];
        Map<String, Tensor> perturbed = new LinkedHashMap<>(feeds);
        v[index] = keep + h;
        perturbed.put(name, Ort.tensor(name, x.dtype(), x.dims(), v));
        double plus = loss(s, perturbed);
        v[index] = keep - h;
        perturbed.put(name, Ort.tensor(name, x.dtype(), x.dims(), v));
        double minus = loss(s, perturbed);
        return (plus - minus) / (2 * h);
    }

    static double loss(InferenceSession s, Map<String, Tensor> feeds) {
        return Ort.scalar(s.run(feeds, List.of("L")).get("L"));
    }

    private static int[] probes(Random rnd, int n) {
        if (n <= MAX_PROBES) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        return rnd.ints(0, n).distinct().limit(MAX_PROBES).sorted().toArray();
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    static DataType dtypeOf(OpCase c) {
        return c.dtype();
    }
}
