package io.ortune.training.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.analysis.GraphWalk;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** What the backward graph contains: only what trainable parameters need, named and reported. */
class AutodiffStructureTest {

    /** x [4,8] -> MatMul w1 [8,16] + b1 -> Tanh -> MatMul w2 [16,3] + b2 -> sum of squares. */
    static Model mlp() {
        GraphBuilder b = GraphBuilder.create("mlp");
        Random r = new Random(7);
        Value x = b.input("x", DataType.FLOAT, 4, 8);
        Value h = b.tanh(b.add(b.matMul(x, b.initializer("w1", random(r, 8, 16))), b.initializer("b1", random(r, 16))));
        Value y = b.add(b.matMul(h, b.initializer("w2", random(r, 16, 3))), b.initializer("b2", random(r, 3)));
        b.output(b.reduceSum(b.mul(y, y), null, false), "loss");
        return b.model();
    }

    static Tensor random(Random r, long... dims) {
        float[] v = new float[(int) GradCheck.count(dims)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian() * 0.3f;
        }
        return Tensor.ofFloats("t", dims, v);
    }

    static List<Node> emitted(Model forward, AutodiffResult r) {
        int before = forward.graph().nodes().size();
        return r.model().graph().nodes().subList(before, r.model().graph().nodes().size());
    }

    static long count(List<Node> nodes, String op) {
        return nodes.stream().filter(n -> n.opType().equals(op)).count();
    }

    @Test
    void frozenFirstLayerGetsNoWeightGradientMatMul() {
        Model m = mlp();
        AutodiffResult all = Autodiff.differentiate(m, "loss", TrainableSet.all());
        AutodiffResult frozen = Autodiff.differentiate(m, "loss", TrainableSet.names("w2", "b2"));
        // all trainable: dW2 = h^T g, dh = g W2^T, dW1 = x^T dpre; nothing for x (an input, not trainable)
        assertThat(count(emitted(m, all), "MatMul")).isEqualTo(3);
        // first layer frozen: dW2 only; dh is not needed either, since nothing before it trains
        assertThat(count(emitted(m, frozen), "MatMul")).isEqualTo(1);
        assertThat(count(emitted(m, frozen), "Tanh")).isZero();
        assertThat(frozen.frozen()).containsExactly("w1", "b1");
        assertThat(frozen.gradients()).containsOnlyKeys("w2", "b2");
        assertThat(frozen.report().forwardNodesWalked()).isLessThan(all.report().forwardNodesWalked());
    }

    @Test
    void frozenSecondLayerStillLetsGradientThroughToTheFirst() {
        Model m = mlp();
        AutodiffResult r = Autodiff.differentiate(m, "loss", TrainableSet.names("w1", "b1"));
        // dh = g W2^T and dW1; no dW2
        assertThat(count(emitted(m, r), "MatMul")).isEqualTo(2);
        assertThat(r.gradients()).containsOnlyKeys("w1", "b1");
    }

    @Test
    void gradientsAreNamedAfterParametersAndAreOutputs() {
        AutodiffResult r = Autodiff.differentiate(mlp(), "loss", TrainableSet.all());
        assertThat(r.gradients().keySet()).containsExactly("w1", "b1", "w2", "b2");
        r.gradients().forEach((p, g) -> {
            assertThat(g.name()).isEqualTo(p + "_grad");
            assertThat(g.shape()).isEqualTo(r.model().graph().initializer(p).shape());
        });
        assertThat(r.model().graph().outputs()).contains(r.loss()).containsAll(r.gradients().values());
        assertThat(r.report().withGradient()).containsExactly("w1", "b1", "w2", "b2");
        assertThat(r.report().rulesUsed()).containsKeys("MatMul", "Add", "Tanh", "Mul", "ReduceSum");
    }

    @Test
    void inputModelIsNotModified() {
        Model m = mlp();
        byte[] before = Ort.bytes(m);
        Autodiff.differentiate(m, "loss", TrainableSet.all(), AutodiffOptions.defaults().withOrtGradientKernels(true)
                .withRecomputeLayers(true));
        assertThat(Ort.bytes(m)).isEqualTo(before);
    }

    @Test
    void integerPathsGetNothing() {
        GraphBuilder b = GraphBuilder.create("ints");
        Value w = b.initializer("w", Tensor.ofFloats("w", new long[] {3}, 1f, 2f, 3f));
        Value ids = b.input("ids", DataType.INT64, 3);
        // an integer computation (Shape, Gather, Add on int64, Cast to float) feeding a float product with w
        Value n = b.gather(b.shape(w), b.constLong(0), 0);
        Value scaled = b.cast(b.add(ids, n), DataType.FLOAT);
        b.output(b.reduceSum(b.mul(w, scaled), null, false), "loss");
        Model m = b.model();
        AutodiffResult r = Autodiff.differentiate(m, "loss", TrainableSet.all());
        assertThat(r.report().rulesUsed()).containsOnlyKeys("Mul", "ReduceSum");
        for (Node e : emitted(m, r)) {
            for (Value in : e.inputs()) {
                assertThat(in == null || in.producer() == null || !Set.of("Shape", "Gather", "Cast")
                        .contains(in.producer().opType()) || in.name().equals(scaled.name()))
                        .as("%s reads an integer-path value", e).isTrue();
            }
        }
        Map<String, Tensor> out = Ort.run(r.model(), Map.of("ids", Tensor.ofLongs("ids", new long[] {3}, 1, 2, 3)),
                List.of("w_grad"));
        assertThat(out.get("w_grad").toFloats()).containsExactly(4f, 5f, 6f);
    }

    @Test
    void sharedParameterGradientsAreSummed() {
        GraphBuilder b = GraphBuilder.create("tied");
        Value w = b.initializer("w", Tensor.ofFloats("w", new long[] {2, 2}, 1f, 2f, 3f, 4f));
        Value x = b.input("x", DataType.FLOAT, 2, 2);
        Value y = b.add(b.matMul(x, w), b.mul(w, w));
        b.output(b.reduceSum(y, null, false), "loss");
        Model m = b.model();
        AutodiffResult r = Autodiff.differentiate(m, "loss", TrainableSet.names("w"));
        assertThat(count(emitted(m, r), "Add") + count(emitted(m, r), "Sum")).isGreaterThanOrEqualTo(1);
        Tensor x0 = Tensor.ofFloats("x", new long[] {2, 2}, 1f, 0f, 0f, 1f);
        float[] g = Ort.run(r.model(), Map.of("x", x0), List.of("w_grad")).get("w_grad").toFloats();
        // d/dw sum(x w) = x^T 1 = [[1,1],[1,1]] for x = I; d/dw sum(w*w) = 2w
        assertThat(g).containsExactly(3f, 5f, 7f, 9f);
    }

    @Test
    void unsupportedOpNamesOpNodeAndSupportedList() {
        GraphBuilder b = GraphBuilder.create("hardmax");
        Value w = b.initializer("w", Tensor.ofFloats("w", new long[] {2, 3}, 1f, 2f, 3f, 4f, 5f, 6f));
        Value h = b.op("", "Hardmax", List.of(b.tanh(w)), new Attribute.IntAttr("axis", -1));
        h.setType(w.type());
        b.output(b.reduceSum(h, null, false), "loss");
        assertThatThrownBy(() -> Autodiff.differentiate(b.model(), "loss", TrainableSet.all()))
                .isInstanceOf(UnsupportedGradientException.class)
                .hasMessageContaining("Hardmax")
                .hasMessageContaining("'/Hardmax'")
                .hasMessageContaining("MatMul, Max, Mean")
                .satisfies(e -> assertThat(((UnsupportedGradientException) e).opType()).isEqualTo("Hardmax"));
    }

    @Test
    void unsupportedOpOffThePathIsIgnored() {
        GraphBuilder b = GraphBuilder.create("side");
        Value w = b.initializer("w", Tensor.ofFloats("w", new long[] {3}, 1f, 2f, 3f));
        Value side = b.op("", "Hardmax", List.of(b.input("x", DataType.FLOAT, 3)));
        b.output(side, "side");
        b.output(b.reduceSum(b.mul(w, w), null, false), "loss");
        AutodiffResult r = Autodiff.differentiate(b.model(), "loss", TrainableSet.all());
        assertThat(r.gradients()).containsOnlyKeys("w");
    }

    @Test
    void parameterThatDoesNotReachTheLossIsReported() {
        GraphBuilder b = GraphBuilder.create("unused");
        Value w = b.initializer("w", Tensor.ofFloats("w", new long[] {2}, 1f, 2f));
        b.initializer("unused", Tensor.ofFloats("u", new long[] {2}, 1f, 2f));
        b.output(b.reduceSum(b.mul(w, w), null, false), "loss");
        Model m = b.model();
        AutodiffResult r = Autodiff.differentiate(m, "loss", TrainableSet.all());
        assertThat(r.gradients()).containsOnlyKeys("w");
        assertThat(r.report().withoutGradient()).containsOnlyKeys("unused");
        AutodiffResult zero = Autodiff.differentiate(m, "loss", TrainableSet.all(),
                AutodiffOptions.defaults().withZeroUnreachable(true));
        float[] g = Ort.run(zero.model(), Map.of(), List.of("unused_grad")).get("unused_grad").toFloats();
        assertThat(g).containsExactly(0f, 0f);
    }

    @Test
    void badLossIsRejectedClearly() {
        Model m = mlp();
        assertThatThrownBy(() -> Autodiff.differentiate(m, "nope", TrainableSet.all()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no value named 'nope'");
        GraphBuilder b = GraphBuilder.create("intloss");
        b.output(b.shape(b.input("x", DataType.FLOAT, 2)), "n");
        assertThatThrownBy(() -> Autodiff.differentiate(b.model(), "n", TrainableSet.all()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be floating point");
    }

    @Test
    void trainableSetSelectsByNameRegexAndLayer() {
        GraphBuilder b = GraphBuilder.create("names");
        for (String n : List.of("model.embed_tokens.weight", "model.layers.0.mlp.up_proj.weight",
                "model.layers.1.mlp.up_proj.weight", "model.layers.10.mlp.up_proj.weight",
                "transformer.h.1.attn.c_attn.weight", "lm_head.weight")) {
            b.initializer(n, Tensor.ofFloats(n, new long[] {1}, 0f));
        }
        b.initializer("scale", Tensor.scalarFloat("scale", 2f));
        b.initializer("ids", Tensor.ofLongs("ids", new long[] {1}, 0));
        var g = b.model().graph();
        assertThat(TrainableSet.layers(1).select(g).trainable()).containsExactly(
                "model.layers.1.mlp.up_proj.weight", "transformer.h.1.attn.c_attn.weight");
        assertThat(TrainableSet.matching(".*up_proj.*").except(TrainableSet.layers(10)).select(g).trainable())
                .containsExactly("model.layers.0.mlp.up_proj.weight", "model.layers.1.mlp.up_proj.weight");
        TrainableSet.Selection s = TrainableSet.layers(0).or(TrainableSet.names("lm_head.weight")).select(g);
        assertThat(s.trainable()).containsExactly("model.layers.0.mlp.up_proj.weight", "lm_head.weight");
        assertThat(s.frozen()).containsExactly("model.embed_tokens.weight", "model.layers.1.mlp.up_proj.weight",
                "model.layers.10.mlp.up_proj.weight", "transformer.h.1.attn.c_attn.weight");
        assertThatThrownBy(() -> TrainableSet.names("lm_head").select(g))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'lm_head'");
        assertThatThrownBy(() -> TrainableSet.names("ids").select(g))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("int64");
    }

    @Test
    void gradientCheckerIsNotVacuous() {
        // a deliberately wrong Tanh rule (missing the 1 - y^2 factor) must fail the central-difference check
        GradientRules wrong = GradientRules.standard().with("", "Tanh", (c, n, gy) -> GradContext.grads(gy.get(0)));
        OpCase bad = OpCase.of("wrong Tanh").in("x", Sampler.REAL, 2, 3)
                .options(AutodiffOptions.defaults().withRules(wrong)).body((b, x) -> b.tanh(x.get(0)));
        assertThatThrownBy(() -> GradCheck.check(bad)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("worst at flat index");
    }

    @Test
    void everyEmittedNodeHasAnOpSchemaOrIsAnOrtKernel() {
        AutodiffResult r = Autodiff.differentiate(mlp(), "loss", TrainableSet.all(),
                AutodiffOptions.defaults().withOrtGradientKernels(true));
        Set<Node> seen = GraphWalk.identitySet();
        for (Node n : r.model().graph().nodes()) {
            assertThat(seen.add(n)).isTrue();
            assertThat(n.domain()).isIn("", GradContext.MS_DOMAIN);
        }
        assertThat(r.report().ortKernelsUsed()).containsKeys("FusedMatMul", "TanhGrad");
        assertThat(Arrays.asList(r.model().opsetImports().keySet().toArray())).contains(GradContext.MS_DOMAIN);
    }

    @Test
    void aForwardNodeBreakingItsSchemaFailsNamingIt() {
        Model m = mlp();
        Node first = m.graph().nodes().stream().filter(n -> n.is("MatMul")).findFirst().orElseThrow(() ->
                new AssertionError("the MLP has a MatMul"));
        first.setInput(1, m.graph().initializer("w2"));
        first.output().setType(null);
        assertThatThrownBy(() -> Autodiff.differentiate(m, "loss", TrainableSet.all()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot differentiate graph 'mlp': its node '" + first.name() + "' (MatMul) breaks the op's "
                        + "schema: inner dimensions differ: [4,8] x [16,3] (8 vs 16)");
    }
}
