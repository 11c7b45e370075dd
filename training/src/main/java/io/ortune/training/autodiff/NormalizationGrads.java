package io.ortune.training.autodiff;

import static io.ortune.training.autodiff.GradContext.grads;
import static io.ortune.training.autodiff.GradContext.rank;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Softmax, LogSoftmax and LayerNormalization. With ONNX Runtime kernels: SoftmaxGrad_13, LogSoftmaxGrad_13 and
 * LayerNormalizationGrad (which reads the Mean and InvStdDev outputs the forward node is given for it).
 */
final class NormalizationGrads {

    private NormalizationGrads() {
    }

    static void register(Map<String, GradientRule> m) {
        m.put("Softmax", NormalizationGrads::softmax);
        m.put("LogSoftmax", NormalizationGrads::logSoftmax);
        m.put("LayerNormalization", NormalizationGrads::layerNorm);
    }

    /** y = softmax(x, axis): y * (g - sum(g * y, axis)). */
    static List<Value> softmax(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        Value y = c.output(n, 0);
        long axis = n.intAttr("axis", -1);
        if (c.fused()) {
            return grads(c.ortKernel("SoftmaxGrad_13", List.of(g, y), y.type(), new Attribute.IntAttr("axis", axis)));
        }
        GraphBuilder b = c.builder();
        Value dot = b.reduceSum(b.mul(g, y), new long[] {axis}, true);
        return grads(b.mul(y, b.sub(g, dot)));
    }

    /** y = log_softmax(x, axis): g - exp(y) * sum(g, axis). */
    static List<Value> logSoftmax(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        Value y = c.output(n, 0);
        long axis = n.intAttr("axis", -1);
        if (c.fused()) {
            return grads(c.ortKernel("LogSoftmaxGrad_13", List.of(g, y), y.type(),
                    new Attribute.IntAttr("axis", axis)));
        }
        GraphBuilder b = c.builder();
        Value total = b.reduceSum(g, new long[] {axis}, true);
        return grads(b.sub(g, b.mul(b.exp(y), total)));
    }

    /**
     * y = (x - mean) * rstd * scale + bias over dims axis..: with xhat = (x - mean) * rstd and d = g * scale,
     * x gets rstd * (d - mean(d) - xhat * mean(d * xhat)), scale gets sum(g * xhat), bias gets sum(g).
     */
    static List<Value> layerNorm(GradContext c, Node n, List<Value> gy) {
        for (int i = 1; i < gy.size(); i++) {
            if (gy.get(i) != null) {
                throw c.unsupported(n, "a gradient flows into its Mean/InvStdDev output");
            }
        }
        int r = rank(n.input(0));
        if (r < 0) {
            throw c.unsupported(n, "the rank of its input must be known");
        }
        long axis = n.intAttr("axis", -1);
        int ax = (int) (axis < 0 ? axis + r : axis);
        long[] axes = new long[r - ax];
        Arrays.setAll(axes, i -> ax + i);
        if (c.fused()) {
            return layerNormFused(c, n, gy.get(0), axis);
        }
        return layerNormStandard(c, n, gy.get(0), axes);
    }

    private static List<Value> layerNormStandard(GradContext c, Node n, Value g, long[] axes) {
        GraphBuilder b = c.builder();
        Value x = c.input(n, 0);
        Value scale = c.input(n, 1);
        float eps = n.floatAttr("epsilon", 1e-5f);
        Value mean = b.reduceMean(x, axes, true);
        Value centered = b.sub(x, mean);
        Value var = b.reduceMean(b.mul(centered, centered), axes, true);
        Value rstd = b.op("", "Reciprocal", List.of(b.sqrt(b.add(var, c.scalar(var, eps)))));
        Value xhat = b.mul(centered, rstd);
        Value gx = null;
        if (c.wants(n, 0)) {
            Value d = b.mul(g, scale);
            Value meanD = b.reduceMean(d, axes, true);
            Value meanDx = b.reduceMean(b.mul(d, xhat), axes, true);
            gx = b.mul(rstd, b.sub(b.sub(d, meanD), b.mul(xhat, meanDx)));
        }
        List<Shape> xShape = List.of(n.input(0).shape());
        Value gs = c.wants(n, 1) ? c.unbroadcastAgainst(b.mul(g, xhat), scale, xShape, 0) : null;
        Value gb = c.wants(n, 2) ? c.unbroadcastAgainst(g, c.input(n, 2), xShape, 0) : null;
        return grads(gx, gs, gb);
    }

    private static List<Value> layerNormFused(GradContext c, Node n, Value g, long axis) {
        Value x = c.input(n, 0);
        Value scale = c.input(n, 1);
        List<Value> in = new ArrayList<>(List.of(g, x, scale, c.output(n, 1), c.output(n, 2)));
        List<Value> outs = c.ortKernel("LayerNormalizationGrad", in, 3, x.type(),
                new Attribute.IntAttr("axis", axis), new Attribute.FloatAttr("epsilon",
                        n.floatAttr("epsilon", 1e-5f)));
        outs.get(1).setType(scale.type());
        outs.get(2).setType(scale.type());
        return grads(c.wants(n, 0) ? outs.get(0) : null, c.wants(n, 1) ? outs.get(1) : null,
                c.wants(n, 2) ? c.unbroadcastAgainst(outs.get(2), c.input(n, 2), List.of(scale.shape()), 0) : null);
    }
}
