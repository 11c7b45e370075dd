package io.ortune.training.qlora;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;


import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.PeftMetadata;




import io.ortune.training.autodiff.TrainableSet;

import org.junit.jupiter.api.Test;




import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * QLoRA = LoRA on the NF4-quantized base: its gradients with respect to the LoRA factors equal those of LoRA on the
 * float model whose weights are the NF4 round trip.
 */
class QloraGradientTest {

    /** LoRA on q,v of {@code base} with B set to seeded random values (B = 0 would make dLoss/dA vanish). */
    static Model loraWithNonzeroB(Model base) {
        Model m = new LoraPass(LoraConfig.of("q_proj,v_proj").withR(4).withAlpha(8)).inject(base).model();
        Random r = new Random(17);
        for (String name : PeftMetadata.trainable(m).orElseThrow(() -> new AssertionError("no trainable record"))) {
            Value v = m.graph().initializer(name);
            if (name.contains("lora_B")) {
                float[] f = new float[(int) v.constant().elementCount()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) (r.nextGaussian() * 0.05);
                }
                m.graph().setInitializerTensor(v, Tensor.ofFloats(name, v.constant().dims(), f));
            }
        }
        return m;
    }

    static Map<String, float[]> loraGradients(Model model) throws Exception {
        Set<String> trainable = PeftMetadata.trainable(model).orElseThrow(() -> new AssertionError("no record"));
        return Nf4TrainingTest.gradients(model, TrainableSet.names(trainable));
    }

    @Test
    void qloraGradientsEqualLoraOnTheDequantizedFloatModel() throws Exception {
        Nf4TrainingTest.assumeTraining();
        Model base = Nf4ModelTest.tinyLlama();
        Nf4Config cfg = Nf4Config.defaults().withDoubleQuant(true);
        Model lora = loraWithNonzeroB(base);
        Nf4QuantizePass.Result q = new Nf4QuantizePass(cfg).quantize(lora);
        assertThat(q.report().skipped()).noneMatch(s -> s.module().contains(".lora_"));
        Map<String, float[]> qlora = loraGradients(q.model());
        Model floatLora = loraWithNonzeroB(Nf4ModelTest.roundTripFloat(base, cfg));
        Map<String, float[]> ref = loraGradients(floatLora);
        assertThat(qlora.keySet()).isEqualTo(ref.keySet()).hasSize(8);
        for (String p : ref.keySet()) {
            float[] a = qlora.get(p);
            float[] b = ref.get(p);
            double num = 0;
            double den = 0;
            for (int i = 0; i < a.length; i++) {
                num += (a[i] - b[i]) * (double) (a[i] - b[i]);
                den += (double) b[i] * b[i];
            }
            assertThat(den).as("gradient of %s is not zero", p).isGreaterThan(0);
            // Same weights (NF4 round trip) on both sides; only kernels and summation order differ.
            assertThat(Math.sqrt(num / den)).as("relative error of d loss / d %s", p).isLessThanOrEqualTo(1e-4);
        }
    }
}
