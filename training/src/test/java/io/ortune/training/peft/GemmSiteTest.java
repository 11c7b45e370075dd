package io.ortune.training.peft;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.DoraPass;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Exporter-style {@code Gemm(x, W, b, transB=1)} layers take LoRA and DoRA like MatMul ones. */
class GemmSiteTest {

    /** As LoraNumericsTest: one layer of float32 rounding differences, 1e-6 absolute + 1e-5 relative. */
    private static final double ATOL = 1e-6;
    private static final double RTOL = 1e-5;

    private static Model gemm() {
        Random rnd = new Random(4);
        GraphBuilder b = GraphBuilder.create("gemm");
        Value x = b.input("x", DataType.FLOAT, 3, 6);
        float[] w = new float[5 * 6];
        float[] bias = new float[5];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) rnd.nextGaussian();
        }
        Value wv = b.initializer("enc.proj.weight", Tensor.ofFloats("w", new long[] {5, 6}, w));
        Value bv = b.initializer("enc.proj.bias", Tensor.ofFloats("b", new long[] {5}, bias));
        Value y = b.scoped("enc.proj", () -> b.gemm(x, wv, bv, 1f, 1f, false, true));
        b.output(b.tanh(y), "y");
        return b.model();
    }

    @Test
    void loraAndDoraOnGemm() {
        Model base = gemm();
        Map<String, Tensor> feeds = Map.of("x", Tensor.ofFloats("x", new long[] {3, 6},
                new float[] {1, -2, 0.5f, 3, -1, 0.25f, 2, 1, -0.5f, 0, 1.5f, -3, 0.1f, 0.2f, 0.3f, -0.4f, 2.5f, -1}));
        Map<String, float[]> y0 = PeftModels.run(base, feeds);
        Model lora = new LoraPass(LoraConfig.of("proj").withR(2)).inject(base).model();
        Model dora = new DoraPass(LoraConfig.of("proj").withR(2)).inject(base).model();
        PeftModels.assertIdentical("LoRA on Gemm at init", y0, PeftModels.run(lora, feeds));
        PeftModels.assertIdentical("DoRA on Gemm at init", y0, PeftModels.run(dora, feeds));
        Model trained = GraphCopier.copy(lora);
        PeftModels.randomize(trained.graph(), "enc.proj.lora_B.default.weight", 0.5, 3);
        PeftModels.assertClose("LoRA on Gemm vs merged reference", PeftModels.run(LoraReference.merged(base, trained,
                List.of("enc.proj"), "default", false, 1), feeds), PeftModels.run(trained, feeds), ATOL, RTOL);
    }
}
