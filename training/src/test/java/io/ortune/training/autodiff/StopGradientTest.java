package io.ortune.training.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.NodeMarks;

import java.util.List;

import org.junit.jupiter.api.Test;

/** An Identity marked {@code ortune.stop_gradient=true} is a constant to the backward pass (PyTorch's detach). */
class StopGradientTest {

    private static final double[] X = {0.5, -1.25, 2.0};
    private static final double[] R = {1.5, 0.25, -0.75};

    /** L = Σ r·x·id(x): dL/dx = r·x when id stops gradients, 2·r·x when it is a plain Identity. Exact in float64. */
    @Test
    void markedIdentityStopsTheGradient() {
        double[] detached = gradient(true);
        double[] plain = gradient(false);
        for (int i = 0; i < X.length; i++) {
            assertThat(detached[i]).as("detached dL/dx[%d]", i).isEqualTo(R[i] * X[i]);
            assertThat(plain[i]).as("plain dL/dx[%d]", i).isEqualTo(2 * R[i] * X[i]);
        }
    }

    @Test
    void nothingUpstreamOfTheStopIsDifferentiated() {
        Model m = model(true);
        AutodiffResult res = Autodiff.differentiate(m, "L", TrainableSet.names("x"), AutodiffOptions.defaults());
        assertThat(res.report().rulesUsed()).doesNotContainKey("Identity").doesNotContainKey("Exp");
        assertThat(GradientRules.isStopGradient(m.graph().nodes().stream().filter(n -> n.is("Identity"))
                .findFirst().orElseThrow())).isTrue();
    }

    private static double[] gradient(boolean stop) {
        AutodiffResult res = Autodiff.differentiate(model(stop), "L", TrainableSet.names("x"),
                AutodiffOptions.defaults());
        String g = res.gradients().get("x").name();
        return Ort.run(res.model(), java.util.Map.of("x", Tensor.ofDoubles("x", new long[] {3}, X)), List.of(g))
                .get(g).toDoubles();
    }

    /** L = Σ r · x · id(exp(log(x²))/x) — id's input is x again, through ops whose rules must not run if stopped. */
    private static Model model(boolean stop) {
        GraphBuilder b = GraphBuilder.create("stop");
        Value x = b.input("x", DataType.DOUBLE, 3);
        Value r = b.initializer("r", Tensor.ofDoubles("r", new long[] {3}, R));
        Value same = stop ? b.div(b.exp(b.log(b.mul(x, x))), x) : x;
        Value id = b.identity(same);
        if (stop) {
            NodeMarks.markStopGradient(id.producer());
        }
        b.output(b.reduceSum(b.mul(b.mul(x, id), r), null, false), "L");
        return b.model();
    }
}
