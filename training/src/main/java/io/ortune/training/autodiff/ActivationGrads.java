package io.ortune.training.autodiff;

import static io.ortune.training.autodiff.GradContext.grads;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Activations and Dropout: Tanh, Sigmoid, Relu, LeakyRelu, Softplus, Gelu (opset 20, {@code none} and
 * {@code tanh}), Dropout. With ONNX Runtime kernels: TanhGrad, SigmoidGrad, ReluGrad, GeluGrad, FastGeluGrad,
 * DropoutGrad.
 */
final class ActivationGrads {

    private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    private static final double GELU_CUBIC = 0.044715;

    private ActivationGrads() {
    }

    static void register(Map<String, GradientRule> m) {
        m.put("Tanh", ActivationGrads::tanh);
        m.put("Sigmoid", ActivationGrads::sigmoid);
        m.put("Relu", ActivationGrads::relu);
        m.put("LeakyRelu", ActivationGrads::leakyRelu);
        m.put("Softplus", ActivationGrads::softplus);
        m.put("Gelu", ActivationGrads::gelu);
        m.put("Dropout", ActivationGrads::dropout);
    }

    /** y = tanh(x): g * (1 - y^2). */
    static List<Value> tanh(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        Value y = c.output(n, 0);
        if (c.fused()) {
            return grads(c.ortKernel("TanhGrad", List.of(g, y), y.type()));
        }
        GraphBuilder b = c.builder();
        return grads(b.mul(g, b.sub(c.scalar(g, 1.0), b.mul(y, y))));
    }

    /** y = sigmoid(x): g * y * (1 - y). */
    static List<Value> sigmoid(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        Value y = c.output(n, 0);
        if (c.fused()) {
            return grads(c.ortKernel("SigmoidGrad", List.of(g, y), y.type()));
        }
        GraphBuilder b = c.builder();
        return grads(b.mul(g, b.mul(y, b.sub(c.scalar(g, 1.0), y))));
    }

    /** y = max(x, 0): g where y &gt; 0. */
    static List<Value> relu(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        Value y = c.output(n, 0);
        if (c.fused()) {
            return grads(c.ortKernel("ReluGrad", List.of(g, y), y.type()));
        }
        GraphBuilder b = c.builder();
        return grads(b.where(b.greater(y, c.scalar(y, 0.0)), g, c.scalar(g, 0.0)));
    }

    /** y = x &gt;= 0 ? x : alpha*x: g or alpha*g. */
    static List<Value> leakyRelu(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        GraphBuilder b = c.builder();
        Value x = c.input(n, 0);
        float alpha = n.floatAttr("alpha", 0.01f);
        return grads(b.where(b.greater(x, c.scalar(x, 0.0)), g, b.mul(g, c.scalar(g, alpha))));
    }

    /** y = ln(1 + e^x): g * sigmoid(x). */
    static List<Value> softplus(GradContext c, Node n, List<Value> gy) {
        GraphBuilder b = c.builder();
        return grads(b.mul(gy.get(0), b.sigmoid(c.input(n, 0))));
    }

    /** Exact Gelu: g * (Phi(x) + x*phi(x)); tanh Gelu: the derivative of 0.5x(1 + tanh(u(x))). */
    static List<Value> gelu(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        Value x = c.input(n, 0);
        boolean tanh = n.stringAttr("approximate", "none").equals("tanh");
        if (c.fused()) {
            return grads(c.ortKernel(tanh ? "FastGeluGrad" : "GeluGrad", List.of(g, x), x.type()));
        }
        return grads(c.builder().mul(g, tanh ? geluTanhSlope(c, x) : geluErfSlope(c, x)));
    }

    /** d/dx [x * Phi(x)] = 0.5 * (1 + erf(x/sqrt2)) + x * exp(-x^2/2) / sqrt(2 pi). */
    private static Value geluErfSlope(GradContext c, Value x) {
        GraphBuilder b = c.builder();
        Value cdf = b.mul(c.scalar(x, 0.5), b.add(c.scalar(x, 1.0), b.erf(b.mul(x, c.scalar(x, INV_SQRT_2)))));
        Value pdf = b.mul(c.scalar(x, INV_SQRT_2PI), b.exp(b.mul(b.mul(x, x), c.scalar(x, -0.5))));
        return b.add(cdf, b.mul(x, pdf));
    }

    /** With u = sqrt(2/pi)(x + 0.044715x^3), t = tanh(u): 0.5(1+t) + 0.5x(1-t^2) sqrt(2/pi)(1 + 3*0.044715x^2). */
    private static Value geluTanhSlope(GradContext c, Value x) {
        GraphBuilder b = c.builder();
        Value x2 = b.mul(x, x);
        Value inner = b.add(c.scalar(x, 1.0), b.mul(x2, c.scalar(x, GELU_CUBIC)));
        Value t = b.tanh(b.mul(b.mul(x, inner), c.scalar(x, SQRT_2_OVER_PI)));
        Value du = b.mul(b.add(c.scalar(x, 1.0), b.mul(x2, c.scalar(x, 3 * GELU_CUBIC))),
                c.scalar(x, SQRT_2_OVER_PI));
        Value left = b.mul(c.scalar(x, 0.5), b.add(c.scalar(x, 1.0), t));
        Value right = b.mul(b.mul(c.scalar(x, 0.5), x), b.mul(b.sub(c.scalar(x, 1.0), b.mul(t, t)), du));
        return b.add(left, right);
    }

    /**
     * Dropout in training mode: g * mask / (1 - ratio), using the node's mask output; in inference mode (no
     * training_mode input) the identity.
     */
    static List<Value> dropout(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        if (g == null) {
            throw c.unsupported(n, "a gradient flows into the mask output, which is not differentiable");
        }
        if (!ForwardRewrites.mayTrain(n)) {
            return grads(g);
        }
        Value mask = c.output(n, 1);
        Value ratio = c.input(n, 1);
        Value mode = c.input(n, 2);
        if (c.fused()) {
            List<Value> in = new ArrayList<>(List.of(g, mask));
            in.add(ratio);
            in.add(mode);
            return grads(c.ortKernel("DropoutGrad", in, g.type()));
        }
        GraphBuilder b = c.builder();
        Value keep = ratio == null ? c.scalar(g, 0.5) : b.sub(c.scalar(g, 1.0), c.castLike(ratio, g));
        Value scale = b.where(mode, b.div(c.scalar(g, 1.0), keep), c.scalar(g, 1.0));
        return grads(b.where(b.op("", "Or", List.of(mask, b.not(mode))), b.mul(g, scale), c.scalar(g, 0.0)));
    }
}
