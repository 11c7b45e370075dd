package io.ortune.training.autodiff;

import static io.ortune.training.autodiff.GradContext.grads;

import io.ortune.graph.analysis.ConstantValues;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Broadcasting binary and variadic arithmetic: Add, Sub, Mul, Div, Pow, Sum, Mean, Max, Min, Where, Clip. Every
 * operand gradient goes through {@link GradContext#unbroadcast}.
 */
final class ArithmeticGrads {

    private ArithmeticGrads() {
    }

    static void register(Map<String, GradientRule> m) {
        m.put("Add", ArithmeticGrads::add);
        m.put("Sub", ArithmeticGrads::sub);
        m.put("Mul", ArithmeticGrads::mul);
        m.put("Div", ArithmeticGrads::div);
        m.put("Pow", ArithmeticGrads::pow);
        m.put("Sum", ArithmeticGrads::sum);
        m.put("Mean", ArithmeticGrads::mean);
        m.put("Max", ArithmeticGrads::maxMin);
        m.put("Min", ArithmeticGrads::maxMin);
        m.put("Where", ArithmeticGrads::where);
        m.put("Clip", ArithmeticGrads::clip);
    }

    /** y = a + b: both get g. */
    static List<Value> add(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        return grads(c.wants(n, 0) ? c.unbroadcastOperand(n, 0, g) : null,
                c.wants(n, 1) ? c.unbroadcastOperand(n, 1, g) : null);
    }

    /** y = a - b: a gets g, b gets -g. */
    static List<Value> sub(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        GraphBuilder b = c.builder();
        return grads(c.wants(n, 0) ? c.unbroadcastOperand(n, 0, g) : null,
                c.wants(n, 1) ? b.neg(c.unbroadcastOperand(n, 1, g)) : null);
    }

    /** y = a * b: a gets g*b, b gets g*a. */
    static List<Value> mul(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        GraphBuilder b = c.builder();
        Value x0 = c.input(n, 0);
        Value x1 = c.input(n, 1);
        return grads(c.wants(n, 0) ? c.unbroadcastOperand(n, 0, b.mul(g, x1)) : null,
                c.wants(n, 1) ? c.unbroadcastOperand(n, 1, b.mul(g, x0)) : null);
    }

    /** y = a / b: a gets g/b, b gets -g*y/b. */
    static List<Value> div(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        GraphBuilder b = c.builder();
        Value x1 = c.input(n, 1);
        Value ga = c.wants(n, 0) ? c.unbroadcastOperand(n, 0, b.div(g, x1)) : null;
        Value gb = c.wants(n, 1) ? c.unbroadcastOperand(n, 1, b.neg(b.div(b.mul(g, c.output(n, 0)), x1))) : null;
        return grads(ga, gb);
    }

    /** y = a^e: a gets g*e*a^(e-1) (g*2a for a constant 2), e gets g*y*ln(a). */
    static List<Value> pow(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        GraphBuilder b = c.builder();
        Value a = c.input(n, 0);
        Value e = c.input(n, 1);
        Value ga = null;
        if (c.wants(n, 0)) {
            double[] k = ConstantValues.doubles(ConstantValues.of(e));
            Value local;
            if (k != null && k.length == 1) {
                local = k[0] == 2.0 ? b.mul(a, c.scalar(a, 2.0))
                        : b.mul(c.scalar(a, k[0]), b.pow(a, c.scalar(a, k[0] - 1.0)));
            } else {
                Value ea = e.dtype() == a.dtype() ? e : c.castLike(e, a);
                local = b.mul(ea, b.pow(a, b.sub(ea, c.scalar(a, 1.0))));
            }
            ga = c.unbroadcastOperand(n, 0, b.mul(g, local));
        }
        Value ge = null;
        if (c.wants(n, 1)) {
            Value full = b.mul(b.mul(g, c.output(n, 0)), b.log(a));
            Value cast = e.dtype() == a.dtype() ? full : c.castLike(full, e);
            ge = c.unbroadcastOperand(n, 1, cast);
        }
        return grads(ga, ge);
    }

    /** y = x0 + x1 + ...: every operand gets g. */
    static List<Value> sum(GradContext c, Node n, List<Value> gy) {
        List<Value> out = new ArrayList<>();
        for (int i = 0; i < n.inputCount(); i++) {
            out.add(c.wants(n, i) ? c.unbroadcastOperand(n, i, gy.get(0)) : null);
        }
        return out;
    }

    /** y = (x0 + ... + x_{k-1}) / k: every operand gets g/k. */
    static List<Value> mean(GradContext c, Node n, List<Value> gy) {
        Value scaled = c.builder().div(gy.get(0), c.scalar(gy.get(0), n.inputCount()));
        List<Value> out = new ArrayList<>();
        for (int i = 0; i < n.inputCount(); i++) {
            out.add(c.wants(n, i) ? c.unbroadcastOperand(n, i, scaled) : null);
        }
        return out;
    }

    /**
     * Max/Min: the operand equal to the result gets g; ties share it evenly (as PyTorch's maximum does).
     */
    static List<Value> maxMin(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        GraphBuilder b = c.builder();
        if (n.inputCount() == 1) {
            return grads(g);
        }
        Value y = c.output(n, 0);
        List<Value> masks = new ArrayList<>();
        for (int i = 0; i < n.inputCount(); i++) {
            masks.add(c.castLike(b.equal(c.input(n, i), y), g));
        }
        Value count = masks.size() == 2 ? b.add(masks.get(0), masks.get(1)) : b.op("", "Sum", masks);
        Value share = b.div(g, count);
        List<Value> out = new ArrayList<>();
        for (int i = 0; i < n.inputCount(); i++) {
            out.add(c.wants(n, i) ? c.unbroadcastOperand(n, i, b.mul(share, masks.get(i))) : null);
        }
        return out;
    }

    /** y = cond ? x : z: x gets g where cond, z gets g elsewhere. */
    static List<Value> where(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        GraphBuilder b = c.builder();
        Value cond = c.input(n, 0);
        Value zero = c.scalar(g, 0.0);
        Value gx = c.wants(n, 1) ? c.unbroadcastOperand(n, 1, b.where(cond, g, zero)) : null;
        Value gz = c.wants(n, 2) ? c.unbroadcastOperand(n, 2, b.where(cond, zero, g)) : null;
        return grads(null, gx, gz);
    }

    /**
     * y = clip(x, lo, hi): x gets g where lo &lt;= x &lt;= hi (bounds included, as PyTorch's clamp); a bound that
     * needs a gradient gets the sum of g where it was active.
     */
    static List<Value> clip(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        GraphBuilder b = c.builder();
        Value x = c.input(n, 0);
        Value lo = c.input(n, 1);
        Value hi = c.input(n, 2);
        Value zero = c.scalar(g, 0.0);
        Value inside = null;
        if (lo != null) {
            inside = b.op("", "GreaterOrEqual", List.of(x, lo));
        }
        if (hi != null) {
            Value belowHi = b.op("", "LessOrEqual", List.of(x, hi));
            inside = inside == null ? belowHi : b.and(inside, belowHi);
        }
        Value gx = null;
        if (c.wants(n, 0)) {
            gx = inside == null ? g : b.where(inside, g, zero);
        }
        Value glo = c.wants(n, 1) ? c.unbroadcastOperand(n, 1, b.where(b.less(x, lo), g, zero)) : null;
        Value ghi = c.wants(n, 2) ? c.unbroadcastOperand(n, 2, b.where(b.greater(x, hi), g, zero)) : null;
        return grads(gx, glo, ghi);
    }
}
