package io.ortune.training.objective;

import io.ortune.graph.analysis.GraphCopier;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gradients of an objective's {@code loss} from ortune's autodiff (run in ONNX Runtime) against central finite
 * differences of the same {@code loss} output, at seeded probe elements of each tensor.
 */
final class HeadGradients {

    /**
     * Float32 graphs, h = 1e-2: rounding of a loss of order 1 (~6e-8) adds ≲ 3e-6 to a difference quotient; the
     * truncation error h²·f'''/6 of these smooth losses (softplus, softmax, tanh of small arguments) stays below
     * 1e-4. Hence |a − b| ≤ 5e-4 + 1e-2·|b|.
     */
    static final double H = 1e-2;
    static final double ATOL = 5e-4;
    static final double RTOL = 1e-2;
    static final int PROBES = 10;

    private HeadGradients() {
    }

    /** Checks d loss / d tensor for each of {@code tensors}; returns the largest |gradient| seen (to show it is not 0). */
    static double check(String what, Model withLoss, Map<String, Tensor> feeds, List<String> tensors, long seed) {
        Random rnd = new Random(seed);
        AutodiffResult res = Autodiff.differentiate(withLoss, CausalLmObjective.LOSS, TrainableSet.names(tensors));
        List<String> outs = new ArrayList<>();
        for (String name : tensors) {
            assertThat(res.gradients()).as(what + ": gradient of " + name).containsKey(name);
            outs.add(res.gradients().get(name).name());
        }
        Map<String, Tensor> grads = HeadModels.run(res.model(), feeds, outs);

        Model fd = GraphCopier.copy(withLoss);
        Map<String, Tensor> fdFeeds = new LinkedHashMap<>();
        for (Value in : fd.graph().inputs()) {
            fdFeeds.put(in.name(), feeds.get(in.name()));
        }
        for (String name : tensors) {
            Value v = fd.graph().initializer(name);
            fd.graph().addInput(v);
            fdFeeds.put(name, v.constant());
        }
        double largest = 0;
        try (InferenceSession s = HeadModels.session(fd)) {
            for (String name : tensors) {
                double[] grad = HeadModels.values(grads.get(res.gradients().get(name).name()));
                float[] x = fdFeeds.get(name).toFloats();
                int[] probes = rnd.ints(0, x.length).distinct().limit(Math.min(PROBES, x.length)).toArray();
                for (int p : probes) {
                    double expected = central(s, fdFeeds, name, p);
                    double actual = grad[p];
                    largest = Math.max(largest, Math.abs(actual));
                    assertThat(Math.abs(actual - expected))
                            .as("%s: d loss / d %s[%d] = %s, central difference %s (|a-b| <= %s + %s|b|, float32, "
                                    + "h=%s)", what, name, p, actual, expected, ATOL, RTOL, H)
                            .isLessThanOrEqualTo(ATOL + RTOL * Math.abs(expected));
                }
            }
        }
        return largest;
    }

    private static double central(InferenceSession s, Map<String, Tensor> feeds, String name, int index) {
        Tensor t = feeds.get(name);
        float[] x = t.toFloats();
        float keep = x[index];
        float up = (float) (keep + H);
        float down = (float) (keep - H);
        Map<String, Tensor> f = new LinkedHashMap<>(feeds);
        x[index] = up;
        f.put(name, Tensor.ofFloats(name, t.dims(), x.clone()));
        double plus = s.run(f, List.of(CausalLmObjective.LOSS)).get(CausalLmObjective.LOSS).toFloats()[0];
        x[index] = down;
        f.put(name, Tensor.ofFloats(name, t.dims(), x.clone()));
        double minus = s.run(f, List.of(CausalLmObjective.LOSS)).get(CausalLmObjective.LOSS).toFloats()[0];
        return (plus - minus) / ((double) up - down);
    }
}
