package io.ortune.training.autodiff;

import static io.ortune.training.autodiff.Sampler.DISTINCT;
import static io.ortune.training.autodiff.Sampler.REAL;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reductions and losses against central differences. */
class ReduceLossGradTest {

    static Stream<OpCase> reductions() {
        return Stream.of(
                OpCase.of("ReduceSum axes [1] keepdims 0").in("x", REAL, 2, 3, 4)
                        .body((b, x) -> b.reduceSum(x.get(0), new long[] {1}, false)),
                OpCase.of("ReduceSum axes [-1] keepdims 1").in("x", REAL, 2, 3, 4)
                        .body((b, x) -> b.reduceSum(x.get(0), new long[] {-1}, true)),
                OpCase.of("ReduceSum all").in("x", REAL, 2, 3).body((b, x) -> b.reduceSum(x.get(0), null, false)),
                OpCase.of("ReduceSum noop_with_empty_axes").in("x", REAL, 2, 3).body((b, x) -> b.op("", "ReduceSum",
                        x, new Attribute.IntAttr("noop_with_empty_axes", 1))),
                OpCase.of("ReduceMean axes [0,2] keepdims 0 (opset 17, attribute)").in("x", REAL, 2, 3, 4)
                        .body((b, x) -> b.reduceMean(x.get(0), new long[] {0, 2}, false)),
                OpCase.of("ReduceMean axes [1] (opset 18, input)").opset(18).in("x", REAL, 2, 3, 4)
                        .body((b, x) -> b.reduceMean(x.get(0), new long[] {1}, true)),
                OpCase.of("ReduceMax axes [1]").in("x", DISTINCT, 2, 3, 4)
                        .body((b, x) -> b.reduceMax(x.get(0), new long[] {1}, false)),
                OpCase.of("ReduceMin all, keepdims").in("x", DISTINCT, 3, 4).body((b, x) -> b.op("", "ReduceMin", x)),
                OpCase.of("ReduceSumSquare axes [0] (opset 18)").opset(18).in("x", REAL, 3, 4)
                        .body((b, x) -> b.op("", "ReduceSumSquare",
                        List.of(x.get(0), b.constLongs(0)))),
                OpCase.of("ReduceL2 axes [1] (opset 18)").opset(18).in("x", REAL, 3, 4)
                        .body((b, x) -> b.op("", "ReduceL2",
                        List.of(x.get(0), b.constLongs(1)), new Attribute.IntAttr("keepdims", 0))));
    }

    static Stream<OpCase> losses() {
        List<OpCase> out = new ArrayList<>();
        for (String reduction : new String[] {"mean", "sum", "none"}) {
            out.add(OpCase.of("SoftmaxCrossEntropyLoss " + reduction + ", ignore_index -100")
                    .in("scores", REAL, 6, 5)
                    .body((b, x) -> sce(b, x.get(0), labels(b, new long[] {6}, 1, -100, 4, 0, -100, 2), null,
                            reduction, -100L)));
        }
        out.add(OpCase.of("SoftmaxCrossEntropyLoss [N,C,d] mean, ignore_index").in("scores", REAL, 2, 4, 3)
                .body((b, x) -> sce(b, x.get(0), labels(b, new long[] {2, 3}, 0, 3, -100, 1, 1, 2), null,
                        "mean", -100L)));
        out.add(OpCase.of("SoftmaxCrossEntropyLoss class weights, mean").in("scores", REAL, 5, 4)
                .body((b, x) -> sce(b, x.get(0), labels(b, new long[] {5}, 0, 3, 3, 1, 2),
                        b.constant(Tensor.ofDoubles("w", new long[] {4}, 0.5, 2.0, 1.0, 3.0)), "mean", null)));
        out.add(OpCase.of("SoftmaxCrossEntropyLoss, log_prob used too").in("scores", REAL, 3, 4).body((b, x) -> {
            List<Value> o = b.op("", "SoftmaxCrossEntropyLoss", List.of(x.get(0), labels(b, new long[] {3}, 2, 0, 1)),
                    2, new Attribute.StringAttr("reduction", "mean"));
            o.get(0).setType(io.ortune.graph.ir.ValueType.tensor(x.get(0).dtype()));
            o.get(1).setType(x.get(0).type());
            return b.add(o.get(0), b.reduceSum(b.mul(o.get(1), o.get(1)), null, false));
        }));
        out.add(OpCase.of("Mean-square loss (ReduceMean(Pow(Sub)))").in("y", REAL, 4, 3).fixed("t", REAL, 4, 3)
                .body((b, x) -> b.reduceMean(b.pow(b.sub(x.get(0), x.get(1)), b.scalarLike(x.get(0), 2)), null,
                        false)));
        out.add(OpCase.of("Mean-square loss (ReduceMean(d*d))").in("y", REAL, 4, 3).in("t", REAL, 4, 3)
                .body((b, x) -> {
                    Value d = b.sub(x.get(0), x.get(1));
                    return b.reduceMean(b.mul(d, d), null, false);
                }));
        return out.stream();
    }

    static Value labels(GraphBuilder b, long[] dims, long... v) {
        return b.constant(Tensor.ofLongs("labels", dims, v));
    }

    static Value sce(GraphBuilder b, Value scores, Value labels, Value weights, String reduction, Long ignore) {
        List<Value> in = new ArrayList<>(List.of(scores, labels));
        if (weights != null) {
            in.add(weights);
        }
        List<Attribute> attrs = new ArrayList<>();
        attrs.add(new Attribute.StringAttr("reduction", reduction));
        if (ignore != null) {
            attrs.add(new Attribute.IntAttr("ignore_index", ignore));
        }
        Value loss = b.op("", "SoftmaxCrossEntropyLoss", in, attrs.toArray(new Attribute[0]));
        long[] ld = GradContext.staticDims(labels);
        io.ortune.graph.ir.Shape s = reduction.equals("none") ? io.ortune.graph.ir.Shape.ofLongs(ld)
                : io.ortune.graph.ir.Shape.SCALAR;
        loss.setType(io.ortune.graph.ir.ValueType.tensor(scores.dtype(), s));
        return loss;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reductions")
    void reductionsMatchCentralDifferences(OpCase c) {
        GradCheck.check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void lossesMatchCentralDifferences(OpCase c) {
        GradCheck.check(c);
    }
}
