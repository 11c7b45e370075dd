package io.ortune.export.adapter;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.LinearSite;
import io.ortune.graph.peft.WeightLayout;

import java.util.Map;

/**
 * A test-scope reference independent of the injection passes: the base with each adapted weight replaced by
 * {@code W + s·B·A}, computed in float64 and rounded once to float32 (transposed for weights stored [in, out]).
 */
final class MergedReference {

    private MergedReference() {
    }

    static Model merge(Model base, PeftAdapter a) {
        AdapterChecks.Fit fit = AdapterChecks.againstBase(a, base, "test");
        GraphCopier.Mapped copy = GraphCopier.copyWithMapping(base);
        for (Map.Entry<String, LinearSite> e : fit.sites().entrySet()) {
            String module = e.getKey();
            LinearSite s = e.getValue();
            double scale = a.config().scalingOf(module);
            float[] w = s.weight().constant().toFloats();
            float[] la = a.tensor(AdapterKeys.key(module, AdapterKeys.Part.LORA_A)).toFloats();
            float[] lb = a.tensor(AdapterKeys.key(module, AdapterKeys.Part.LORA_B)).toFloats();
            int in = (int) s.inFeatures();
            int out = (int) s.outFeatures();
            int r = la.length / in;
            float[] merged = new float[w.length];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    double delta = 0;
                    for (int k = 0; k < r; k++) {
                        delta += (double) lb[o * r + k] * la[k * in + i];
                    }
                    int idx = s.layout() == WeightLayout.OUT_IN ? o * in + i : i * out + o;
                    merged[idx] = (float) (w[idx] + scale * delta);
                }
            }
            Value target = copy.map(s.weight());
            copy.model().graph().setInitializerTensor(target, Tensor.ofFloats(target.name(),
                    s.weight().constant().dims(), merged));
        }
        return copy.model();
    }
}
