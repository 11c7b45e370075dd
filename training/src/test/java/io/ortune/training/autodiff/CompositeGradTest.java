package io.ortune.training.autodiff;

import static io.ortune.training.autodiff.Sampler.REAL;
import static io.ortune.training.autodiff.Sampler.SMALL;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Small transformer-shaped graphs: every gradient against central differences, and the adjoint identity
 * ⟨c, J t⟩ = ⟨Jᵀ c, t⟩ along random directions.
 */
class CompositeGradTest {

    static final int D = 8;
    static final int HEADS = 2;

    static Stream<OpCase> composites() {
        return Stream.of(
                OpCase.of("causal self-attention block with residual and LayerNorm").in("x", REAL, 2, 4, D)
                        .in("wq", SMALL, D, D).in("wk", SMALL, D, D).in("wv", SMALL, D, D).in("wo", SMALL, D, D)
                        .in("ln_w", REAL, D).in("ln_b", REAL, D).body(CompositeGradTest::attention),
                OpCase.of("GPT-2 MLP with tanh Gelu written out").in("x", REAL, 3, D).in("w1", SMALL, D, 16)
                        .in("b1", SMALL, 16).in("w2", SMALL, 16, D).body(CompositeGradTest::gpt2Mlp),
                OpCase.of("tied embedding: Gather + MatMul with transposed table, cross-entropy")
                        .in("wte", REAL, 10, 6).in("ln_w", REAL, 6).body(CompositeGradTest::tiedEmbedding),
                OpCase.of("Llama block pieces: RMSNorm, SwiGLU, rotary halves, GQA expand").in("x", REAL, 1, 2, 3, 4)
                        .in("norm_w", REAL, 4).in("w_gate", SMALL, 4, 6).in("w_up", SMALL, 4, 6)
                        .body(CompositeGradTest::llamaPieces));
    }

    static Value attention(GraphBuilder b, List<Value> x) {
        Value in = x.get(0);
        int hd = D / HEADS;
        Value q = heads(b, b.matMul(in, x.get(1)), hd);
        Value k = heads(b, b.matMul(in, x.get(2)), hd);
        Value v = heads(b, b.matMul(in, x.get(3)), hd);
        Value scores = b.mul(b.matMul(q, b.transpose(k, 0, 1, 3, 2)), b.scalarLike(in, 1 / Math.sqrt(hd)));
        boolean[] causal = new boolean[16];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                causal[i * 4 + j] = j <= i;
            }
        }
        Value mask = b.constant(Tensor.ofBooleans("causal", new long[] {4, 4}, causal));
        Value masked = b.where(mask, scores, b.scalarLike(in, -1e9));
        Value ctx = b.matMul(b.softmax(masked, -1), v);
        Value merged = b.reshape(b.transpose(ctx, 0, 2, 1, 3), 2, 4, D);
        Value res = b.add(in, b.matMul(merged, x.get(4)));
        return b.layerNorm(res, x.get(5), x.get(6), -1, 1e-5f);
    }

    private static Value heads(GraphBuilder b, Value t, int hd) {
        return b.transpose(b.reshape(t, 2, 4, HEADS, hd), 0, 2, 1, 3);
    }

    static Value gpt2Mlp(GraphBuilder b, List<Value> x) {
        Value h = b.add(b.matMul(x.get(0), x.get(1)), x.get(2));
        Value cube = b.mul(b.pow(h, b.scalarLike(h, 3)), b.scalarLike(h, 0.044715));
        Value t = b.tanh(b.mul(b.add(h, cube), b.scalarLike(h, Math.sqrt(2 / Math.PI))));
        Value gelu = b.mul(b.mul(h, b.scalarLike(h, 0.5)), b.add(b.scalarLike(h, 1), t));
        return b.matMul(gelu, x.get(3));
    }

    static Value tiedEmbedding(GraphBuilder b, List<Value> x) {
        Value wte = x.get(0);
        Value ids = b.constant(Tensor.ofLongs("ids", new long[] {2, 3}, 1, 4, 4, 9, 0, 1));
        Value h = b.layerNorm(b.gather(wte, ids, 0), x.get(1), null, -1, 1e-5f);
        Value logits = b.matMul(h, b.transpose(wte, 1, 0));
        Value scores = b.reshape(logits, -1, 10);
        Value labels = b.constant(Tensor.ofLongs("labels", new long[] {6}, 4, -100, 9, 0, 1, 3));
        Value loss = b.op("", "SoftmaxCrossEntropyLoss", List.of(scores, labels),
                new Attribute.StringAttr("reduction", "mean"), new Attribute.IntAttr("ignore_index", -100));
        loss.setType(ValueType.tensor(wte.dtype(), Shape.SCALAR));
        return loss;
    }

    static Value llamaPieces(GraphBuilder b, List<Value> x) {
        Value in = x.get(0);
        Value ms = b.reduceMean(b.pow(in, b.scalarLike(in, 2)), new long[] {-1}, true);
        Value normed = b.mul(x.get(1), b.div(in, b.sqrt(b.add(ms, b.scalarLike(in, 1e-5)))));
        List<Value> halves = b.split(normed, -1, 2, 2);
        Value rotated = b.concat(-1, b.neg(halves.get(1)), halves.get(0));
        double[] cos = new double[12];
        double[] sin = new double[12];
        for (int i = 0; i < 12; i++) {
            cos[i] = Math.cos(0.3 * i);
            sin[i] = Math.sin(0.3 * i);
        }
        Value roped = b.add(b.mul(normed, b.constant(Ort.tensor("cos", in.dtype(), new long[] {3, 4}, cos))),
                b.mul(rotated, b.constant(Ort.tensor("sin", in.dtype(), new long[] {3, 4}, sin))));
        Value expanded = b.reshape(b.expand(b.unsqueeze(roped, 2), b.constLongs(1, 2, 2, 3, 4)), 1, 4, 3, 4);
        Value gate = b.matMul(expanded, x.get(2));
        Value act = b.mul(gate, b.sigmoid(gate));
        return b.mul(act, b.matMul(expanded, x.get(3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("composites")
    void matchesCentralDifferences(OpCase c) {
        GradCheck.check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("composites")
    void satisfiesTheAdjointIdentity(OpCase c) {
        GradCheck.adjoint(c, 3);
    }

    @ParameterizedTest(name = "{0} with ONNX Runtime kernels (float32)")
    @MethodSource("composites")
    void ortKernelsMatchCentralDifferences(OpCase c) {
        GradCheck.check(c.asFloat32().withOptions(AutodiffOptions.defaults().withOrtGradientKernels(true)));
    }

    @ParameterizedTest(name = "{0} with recomputation")
    @MethodSource("composites")
    void recomputationGivesTheSameGradients(OpCase c) {
        OpCase inLayer = c.withBody((b, x) -> {
            try (GraphBuilder.Scope s = b.scope("model.layers.0")) {
                return c.body().build(b, x);
            }
        }).withOptions(AutodiffOptions.defaults().withRecomputeLayers(true));
        AutodiffResult r = GradCheck.check(inLayer);
        assertThat(r.report().recomputedNodes()).isPositive();
    }
}
