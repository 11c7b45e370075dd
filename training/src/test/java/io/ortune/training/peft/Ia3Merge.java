package io.ortune.training.peft;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.LinearMatcher;
import io.ortune.graph.peft.LinearSite;
import io.ortune.graph.peft.WeightLayout;

/** Folds an IA3 vector into a base model's weights by hand (the reference the IA3 test compares with). */
final class Ia3Merge {

    private Ia3Merge() {
    }

    /** Scales {@code module}'s weight: its input columns ({@code input}) or its output rows and bias by {@code l}. */
    static void scale(Model m, String module, float[] l, boolean input) {
        LinearSite s = LinearMatcher.find(m.graph()).site(module).orElseThrow();
        Value w = s.weight();
        float[] v = w.constant().toFloats();
        long[] d = w.constant().dims();
        boolean inOut = s.layout() == WeightLayout.IN_OUT;
        for (int r = 0; r < d[0]; r++) {
            for (int c = 0; c < d[1]; c++) {
                int inIdx = inOut ? r : c;
                int outIdx = inOut ? c : r;
                v[(int) (r * d[1] + c)] *= input ? l[inIdx] : l[outIdx];
            }
        }
        m.graph().setInitializerTensor(w, Tensor.ofFloats(w.name(), d, v));
        if (!input && s.bias() != null) {
            float[] b = s.bias().constant().toFloats();
            for (int i = 0; i < b.length; i++) {
                b[i] *= l[i];
            }
            m.graph().setInitializerTensor(s.bias(), Tensor.ofFloats(s.bias().name(), s.bias().constant().dims(), b));
        }
    }
}
