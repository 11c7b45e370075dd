package io.ortune.training.peft;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.List;

/**
 * The float64 reference of an injected LoRA: the base model with each adapted weight replaced by W + s·B·A
 * (computed in double from the adapter model's tensors, rounded once to float32), in the weight's own layout.
 */
final class LoraReference {

    private LoraReference() {
    }

    /**
     * {@code base} with every module in {@code modules} merged from {@code adapted}'s tensors of adapter
     * {@code adapter}; {@code inOut}: weights stored [in, out] (GPT-2's Conv1D).
     */
    static Model merged(Model base, Model adapted, List<String> modules, String adapter, boolean inOut,
                        double gate) {
        Model out = GraphCopier.copy(base);
        Graph g = out.graph();
        Graph ag = adapted.graph();
        for (String m : modules) {
            Value w = g.initializer(m + ".weight");
            float[] wv = w.constant().toFloats();
            Tensor a = ag.initializer(m + ".lora_A." + adapter + ".weight").constant();
            Tensor b = ag.initializer(m + ".lora_B." + adapter + ".weight").constant();
            double s = ag.initializer(m + ".lora_scaling." + adapter).constant().toFloats()[0];
            float[] av = a.toFloats();
            float[] bv = b.toFloats();
            int r = (int) a.dims()[0];
            int in = (int) a.dims()[1];
            int outF = (int) b.dims()[0];
            float[] merged = new float[wv.length];
            for (int i = 0; i < outF; i++) {
                for (int j = 0; j < in; j++) {
                    double ba = 0;
                    for (int t = 0; t < r; t++) {
                        ba += (double) bv[i * r + t] * av[t * in + j];
                    }
                    int idx = inOut ? j * outF + i : i * in + j;
                    merged[idx] = (float) (wv[idx] + gate * s * ba);
                }
            }
            g.setInitializerTensor(w, Tensor.ofFloats(w.name(), w.constant().dims(), merged));
        }
        return out;
    }
}
