package io.ortune.training.autodiff;

import static io.ortune.training.autodiff.GradContext.grads;
import static io.ortune.training.autodiff.GradContext.rank;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * SoftmaxCrossEntropyLoss (ONNX op: scores [N, C, d...], integer labels [N, d...], optional class weights,
 * {@code ignore_index}, reduction none/sum/mean). With mean reduction and {@code ignore_index=-100} this is Hugging
 * Face's causal-LM loss. The rule reads the node's {@code log_prob} output (added when missing). With ONNX Runtime
 * kernels: SoftmaxCrossEntropyLossGrad.
 */
final class LossGrads {

    private LossGrads() {
    }

    static void register(Map<String, GradientRule> m) {
        m.put("SoftmaxCrossEntropyLoss", LossGrads::softmaxCrossEntropy);
    }

    /**
     * d scores = (softmax(scores) - onehot(labels)) * w * dLoss / (sum of w for mean), with w the class weight of
     * each label and 0 where the label is ignore_index; plus the log-softmax backward of a log_prob gradient.
     */
    static List<Value> softmaxCrossEntropy(GradContext c, Node n, List<Value> gy) {
        if (c.wants(n, 2)) {
            throw c.unsupported(n, "gradients for the class weights are not supported; keep them constant");
        }
        if (!c.wants(n, 0)) {
            return null;
        }
        GraphBuilder b = c.builder();
        Value gLoss = gy.get(0);
        Value gLogProb = gy.size() > 1 ? gy.get(1) : null;
        Value logp = c.output(n, 1);
        Value grad = null;
        if (gLoss != null) {
            grad = c.fused() ? fusedLossGrad(c, n, gLoss, logp) : lossGrad(c, n, gLoss, logp);
        }
        if (gLogProb != null) {
            Value total = b.reduceSum(gLogProb, new long[] {1}, true);
            Value viaLogProb = b.sub(gLogProb, b.mul(b.exp(logp), total));
            grad = grad == null ? viaLogProb : b.add(grad, viaLogProb);
        }
        return grads(grad, null, null);
    }

    private static Value fusedLossGrad(GradContext c, Node n, Value gLoss, Value logp) {
        List<Value> in = new ArrayList<>(List.of(gLoss, logp, c.input(n, 1)));
        if (n.input(2) != null) {
            in.add(c.input(n, 2));
        }
        List<Attribute> attrs = new ArrayList<>();
        attrs.add(new Attribute.StringAttr("reduction", n.stringAttr("reduction", "mean")));
        if (n.attribute("ignore_index") != null) {
            attrs.add(new Attribute.IntAttr("ignore_index", n.intAttr("ignore_index", 0)));
        }
        return c.ortKernel("SoftmaxCrossEntropyLossGrad", in, n.input(0).type(), attrs.toArray(new Attribute[0]));
    }

    private static Value lossGrad(GradContext c, Node n, Value gLoss, Value logp) {
        GraphBuilder b = c.builder();
        Value labels = c.input(n, 1);
        Value labels64 = labels.dtype() == DataType.INT64 ? labels : b.cast(labels, DataType.INT64);
        Value weight = sampleWeights(c, n, labels64, logp);
        Value safe = n.attribute("ignore_index") == null ? labels64
                : b.where(b.equal(labels64, b.constLong(n.intAttr("ignore_index", 0))), b.constLong(0), labels64);
        Value coef;
        switch (n.stringAttr("reduction", "mean")) {
            case "none":
            case "sum":
                coef = b.mul(gLoss, weight);
                break;
            case "mean":
                coef = b.div(b.mul(gLoss, weight), b.reduceSum(weight, null, false));
                break;
            default:
                throw c.unsupported(n, "unknown reduction '" + n.stringAttr("reduction", "") + "'");
        }
        Value diff = b.sub(b.exp(logp), oneHot(c, n, safe, logp));
        return b.mul(diff, b.unsqueeze(coef, 1));
    }

    /** Per-sample weight: 0 where ignored, else 1 or the class weight of the label. */
    private static Value sampleWeights(GradContext c, Node n, Value labels64, Value like) {
        GraphBuilder b = c.builder();
        Value w;
        Value safe = labels64;
        if (n.attribute("ignore_index") != null) {
            Value ignored = b.equal(labels64, b.constLong(n.intAttr("ignore_index", 0)));
            w = b.where(ignored, c.scalar(like, 0.0), c.scalar(like, 1.0));
            safe = b.where(ignored, b.constLong(0), labels64);
        } else {
            w = b.expand(c.scalar(like, 1.0), b.shape(labels64));
        }
        if (n.input(2) != null) {
            w = b.mul(w, b.gather(c.input(n, 2), safe, 0));
        }
        return w;
    }

    /** onehot(labels) laid out like scores: [N, C, d...], classes on axis 1. */
    private static Value oneHot(GradContext c, Node n, Value labels64, Value like) {
        GraphBuilder b = c.builder();
        int r = rank(n.input(0));
        if (r < 2) {
            throw c.unsupported(n, "the rank of its scores must be known and at least 2");
        }
        long[] dims = GradContext.staticDims(n.input(0));
        Value classes = dims != null ? b.constLong(dims[1])
                : b.reshape(b.shape(c.input(n, 0), 1, 2), new long[0]);
        long[] layout = new long[r];
        Arrays.fill(layout, 1);
        layout[1] = -1;
        Value range = b.reshape(b.range(b.constLong(0), classes, b.constLong(1)), layout);
        return c.castLike(b.equal(b.unsqueeze(labels64, 1), range), like);
    }
}
