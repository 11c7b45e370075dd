package io.ortune.training.autodiff;

import static io.ortune.training.autodiff.GradContext.grads;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.List;
import java.util.Map;

/** Elementwise math of one operand: Neg, Sqrt, Exp, Log, Abs, Reciprocal, Sin, Cos, Erf. */
final class UnaryGrads {

    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    private UnaryGrads() {
    }

    static void register(Map<String, GradientRule> m) {
        m.put("Neg", UnaryGrads::neg);
        m.put("Sqrt", UnaryGrads::sqrt);
        m.put("Exp", UnaryGrads::exp);
        m.put("Log", UnaryGrads::log);
        m.put("Abs", UnaryGrads::abs);
        m.put("Reciprocal", UnaryGrads::reciprocal);
        m.put("Sin", UnaryGrads::sin);
        m.put("Cos", UnaryGrads::cos);
        m.put("Erf", UnaryGrads::erf);
    }

    /** y = -x. */
    static List<Value> neg(GradContext c, Node n, List<Value> gy) {
        return grads(c.builder().neg(gy.get(0)));
    }

    /** y = sqrt(x): g * 0.5 / y. */
    static List<Value> sqrt(GradContext c, Node n, List<Value> gy) {
        GraphBuilder b = c.builder();
        Value g = gy.get(0);
        return grads(b.div(b.mul(g, c.scalar(g, 0.5)), c.output(n, 0)));
    }

    /** y = exp(x): g * y. */
    static List<Value> exp(GradContext c, Node n, List<Value> gy) {
        return grads(c.builder().mul(gy.get(0), c.output(n, 0)));
    }

    /** y = ln(x): g / x. */
    static List<Value> log(GradContext c, Node n, List<Value> gy) {
        return grads(c.builder().div(gy.get(0), c.input(n, 0)));
    }

    /** y = |x|: g * sign(x) (0 at 0). */
    static List<Value> abs(GradContext c, Node n, List<Value> gy) {
        GraphBuilder b = c.builder();
        return grads(b.mul(gy.get(0), b.op("", "Sign", List.of(c.input(n, 0)))));
    }

    /** y = 1/x: -g * y^2. */
    static List<Value> reciprocal(GradContext c, Node n, List<Value> gy) {
        GraphBuilder b = c.builder();
        Value y = c.output(n, 0);
        return grads(b.neg(b.mul(gy.get(0), b.mul(y, y))));
    }

    /** y = sin(x): g * cos(x). */
    static List<Value> sin(GradContext c, Node n, List<Value> gy) {
        GraphBuilder b = c.builder();
        return grads(b.mul(gy.get(0), b.cos(c.input(n, 0))));
    }

    /** y = cos(x): -g * sin(x). */
    static List<Value> cos(GradContext c, Node n, List<Value> gy) {
        GraphBuilder b = c.builder();
        return grads(b.neg(b.mul(gy.get(0), b.sin(c.input(n, 0)))));
    }

    /** y = erf(x): g * 2/sqrt(pi) * exp(-x^2). */
    static List<Value> erf(GradContext c, Node n, List<Value> gy) {
        GraphBuilder b = c.builder();
        Value x = c.input(n, 0);
        Value g = gy.get(0);
        Value bell = b.exp(b.neg(b.mul(x, x)));
        return grads(b.mul(g, b.mul(bell, c.scalar(g, TWO_OVER_SQRT_PI))));
    }
}
