package io.ortune.training.peft;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.analysis.DeadCodeElimination;
import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.DoraPass;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraInit;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.NodeMarks;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.runtime.InferenceSession;
import io.ortune.training.autodiff.Autodiff;
import io.ortune.training.autodiff.AutodiffOptions;
import io.ortune.training.autodiff.AutodiffResult;
import io.ortune.training.autodiff.TrainableSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * dLoss/dA, dLoss/dB and dLoss/dm through injected graphs against central finite differences, in float64 (ONNX
 * Runtime has double kernels for every op here) on a two-layer model: {@code fc1} an {@code nn.Linear}
 * ([out, in] through a Transpose, with bias), Tanh, {@code fc2} a Conv1D-style [in, out] weight, loss
 * {@code L = Σ y·R}.
 */
class PeftGradientTest {

    /** Central differences with h = 1e-6 in float64 have error ~h² + ε/h ≈ 1e-10 relative to the scale of L. */
    private static final double H = 1e-6;
    private static final double ATOL = 1e-8;
    private static final double RTOL = 1e-6;

    @Test
    void loraGradientsMatchCentralDifferences() {
        Model m = injectAndPerturb(new LoraPass(config()).inject(tiny()).model(), false);
        List<String> params = trainable(m);
        assertThat(params).hasSize(4);
        Map<String, double[]> grads = gradients(m, params);
        for (String p : params) {
            PeftModels.assertClose("dL/d" + p + " (LoRA)", finiteDifferences(m, p), grads.get(p), ATOL, RTOL);
        }
    }

    @Test
    void doraGradientsTreatTheNormAsAConstant() {
        Model m = injectAndPerturb(new DoraPass(config()).inject(tiny()).model(), true);
        List<String> params = trainable(m);
        assertThat(params).hasSize(6);
        Map<String, double[]> grads = gradients(m, params);
        Model detached = detached(m, feeds());
        double largestGap = 0;
        for (String p : params) {
            double[] fdDetached = finiteDifferences(detached, p);
            PeftModels.assertClose("dL/d" + p + " (DoRA, norm detached)", fdDetached, grads.get(p), ATOL, RTOL);
            double[] fdFull = finiteDifferences(m, p);
            if (p.contains("lora_magnitude_vector")) {
                PeftModels.assertClose("dL/d" + p + " (the norm does not depend on m)", fdFull, grads.get(p), ATOL,
                        RTOL);
            } else {
                for (int i = 0; i < fdFull.length; i++) {
                    largestGap = Math.max(largestGap, Math.abs(fdFull[i] - grads.get(p)[i]));
                }
            }
        }
        assertThat(largestGap).as("the undetached derivative of A and B differs: the check can fail")
                .isGreaterThan(1e-4);
    }

    private static LoraConfig config() {
        return LoraConfig.of("fc1,fc2").withR(2).withAlpha(3).withInit(LoraInit.GAUSSIAN).withSeed(5);
    }

    /** x [2, 3, 5] → fc1 (6 ← 5, bias) → tanh → fc2 (4 ← 6, [in, out]) → L = Σ y·R, all float64. */
    static Model tiny() {
        Random rnd = new Random(21);
        GraphBuilder b = GraphBuilder.create("tiny64");
        Value x = b.input("x", DataType.DOUBLE, 2, 3, 5);
        Value w1 = b.initializer("net.fc1.weight", Tensor.ofDoubles("w", new long[] {6, 5}, normal(rnd, 30, 0.5)));
        Value b1 = b.initializer("net.fc1.bias", Tensor.ofDoubles("b", new long[] {6}, normal(rnd, 6, 0.1)));
        Value w2 = b.initializer("net.fc2.weight", Tensor.ofDoubles("w", new long[] {6, 4}, normal(rnd, 24, 0.5)));
        Value r = b.initializer("R", Tensor.ofDoubles("R", new long[] {2, 3, 4}, normal(rnd, 24, 1)));
        Value h = b.scoped("net.fc1", () -> b.add(b.matMul(x, b.transpose(w1, 1, 0)), b1));
        Value y = b.scoped("net.fc2", () -> b.matMul(b.tanh(h), w2));
        b.output(b.reduceSum(b.mul(y, r), null, false), "L");
        return b.model();
    }

    /** B (and DoRA's magnitude) away from their initial values, so that every gradient is exercised. */
    private static Model injectAndPerturb(Model injected, boolean dora) {
        Model m = GraphCopier.copy(injected);
        Graph g = m.graph();
        Random rnd = new Random(3);
        for (String name : trainable(m)) {
            Value v = g.initializer(name);
            double[] val = v.constant().toDoubles();
            if (name.contains("lora_B")) {
                val = normal(rnd, val.length, 0.3);
            } else if (name.contains("lora_magnitude_vector")) {
                for (int i = 0; i < val.length; i++) {
                    val[i] *= 1 + 0.2 * rnd.nextGaussian();
                }
            }
            g.setInitializerTensor(v, Tensor.ofDoubles(name, v.constant().dims(), val));
        }
        assertThat(dora).isEqualTo(!g.nodes().stream().filter(NodeMarks::isStopGradient).toList().isEmpty());
        return m;
    }

    private static List<String> trainable(Model m) {
        return new ArrayList<>(PeftMetadata.trainable(m).orElseThrow());
    }

    private static Map<String, Tensor> feeds() {
        return Map.of("x", Tensor.ofDoubles("x", new long[] {2, 3, 5}, normal(new Random(8), 30, 1)));
    }

    private static Map<String, double[]> gradients(Model m, List<String> params) {
        AutodiffResult res = Autodiff.differentiate(m, "L", TrainableSet.names(params), AutodiffOptions.defaults());
        List<String> outs = new ArrayList<>();
        for (String p : params) {
            outs.add(res.gradients().get(p).name());
        }
        try (InferenceSession s = InferenceSession.fromBytes(PeftModels.bytes(res.model()), PeftModels.OPTIONS)) {
            Map<String, Tensor> got = s.run(feeds(), outs);
            Map<String, double[]> out = new LinkedHashMap<>();
            for (String p : params) {
                out.put(p, got.get(res.gradients().get(p).name()).toDoubles());
            }
            return out;
        }
    }

    /** Central differences of L in every element of initializer {@code p}, fed as an input that overrides it. */
    private static double[] finiteDifferences(Model m, String p) {
        Model withInput = GraphCopier.copy(m);
        Value v = withInput.graph().initializer(p);
        withInput.graph().addInput(v);
        double[] base = v.constant().toDoubles();
        double[] fd = new double[base.length];
        try (InferenceSession s = InferenceSession.fromBytes(PeftModels.bytes(withInput), PeftModels.OPTIONS)) {
            for (int i = 0; i < base.length; i++) {
                double keep = base[i];
                base[i] = keep + H;
                double plus = loss(s, p, v, base);
                base[i] = keep - H;
                double minus = loss(s, p, v, base);
                base[i] = keep;
                fd[i] = (plus - minus) / (2 * H);
            }
        }
        return fd;
    }

    private static double loss(InferenceSession s, String p, Value v, double[] values) {
        Map<String, Tensor> feeds = new LinkedHashMap<>(feeds());
        feeds.put(p, Tensor.ofDoubles(p, v.constant().dims(), values));
        return s.run(feeds, List.of("L")).get("L").toDoubles()[0];
    }

    /** {@code m} with every stop-gradient node's output replaced by the constant it has for {@code feeds}. */
    static Model detached(Model m, Map<String, Tensor> feeds) {
        Model probe = GraphCopier.copy(m);
        List<Node> stops = probe.graph().nodes().stream().filter(NodeMarks::isStopGradient).toList();
        List<String> names = new ArrayList<>();
        for (Node n : stops) {
            probe.graph().addOutput(n.output());
            names.add(n.output().name());
        }
        Map<String, Tensor> values = PeftModelsRun.run(probe, feeds, names);
        Model out = GraphCopier.copy(m);
        Graph g = out.graph();
        for (Node n : g.nodes().stream().filter(NodeMarks::isStopGradient).toList()) {
            Tensor t = values.get(n.output().name());
            Value c = g.addInitializer(t.withName(n.output().name() + "_frozen"));
            n.output().replaceAllUsesWith(c);
        }
        DeadCodeElimination.run(g);
        assertThat(g.nodes().stream().filter(NodeMarks::isStopGradient)).isEmpty();
        return out;
    }

    static double[] normal(Random rnd, int n, double std) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextGaussian() * std;
        }
        return v;
    }

    /** Runs and returns raw tensors. */
    private static final class PeftModelsRun {
        static Map<String, Tensor> run(Model m, Map<String, Tensor> feeds, List<String> outs) {
            try (InferenceSession s = InferenceSession.fromBytes(PeftModels.bytes(m), PeftModels.OPTIONS)) {
                return s.run(feeds, outs);
            }
        }
    }
}
