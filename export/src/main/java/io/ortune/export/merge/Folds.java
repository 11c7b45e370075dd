package io.ortune.export.merge;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.AdapterSwitch;
import io.ortune.graph.peft.LinearSite;

/**
 * The weight change each kind of join stands for, computed in float64 from the stored (float32) tensors:
 * <ul>
 *   <li>LoRA, rsLoRA: ΔW = g·s·B·A (s the stored PEFT scaling, α/r or α/√r; g the adapter's gate);</li>
 *   <li>DoRA: with ms = m / ‖W + s·B·A‖_row, the layer computes ms ⊙ (W + s·BA)·x, so
 *       ΔW = g·((ms − 1) ⊙ W + ms ⊙ s·BA) (rows scaled);</li>
 *   <li>IA3 on the output: W' = diag(l)·W and b' = l ⊙ b; on the input (feed-forward): W' = W·diag(l).</li>
 * </ul>
 */
final class Folds {

    private static final String PEFT_PREFIX = "base_model.model.";

    private Folds() {
    }

    /** The gate of a LoRA/DoRA adapter (its initializer, also when it is a runtime input), else 1. */
    static double gate(Model m, AdapterInfo a) {
        Value g = m.graph().initializer(AdapterSwitch.gateName(a.name()));
        return g == null || g.constant() == null ? 1.0 : Dense.values(g.constant())[0];
    }

    /** {@code j}'s change to its module with the adapter's contribution multiplied by {@code gate}. */
    static TaskDelta delta(Model m, Join j, double gate) {
        LinearSite s = j.site();
        int out = Math.toIntExact(s.outFeatures());
        int in = Math.toIntExact(s.inFeatures());
        double[] w = Dense.outIn(s.weight().constant(), s.layout(), out, in);
        AdapterInfo a = j.adapter();
        return switch (j.kind()) {
            case DELTA -> new TaskDelta(j.module(), a.name(), out, in, lowRank(m, j, w, out, in, gate), null);
            case SCALE_OUTPUT -> scaleOutput(m, j, w, out, in);
            case SCALE_INPUT -> {
                double[] l = vector(m, j, in);
                double[] d = new double[out * in];
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        d[o * in + i] = w[o * in + i] * (l[i] - 1);
                    }
                }
                yield new TaskDelta(j.module(), a.name(), out, in, d, null);
            }
        };
    }

    private static double[] lowRank(Model m, Join j, double[] w, int out, int in, double gate) {
        AdapterInfo a = j.adapter();
        String module = j.module();
        double[] aw = tensor(m, a, a.tensors().get(PEFT_PREFIX + module + ".lora_A.weight"), module);
        double[] bw = tensor(m, a, a.tensors().get(PEFT_PREFIX + module + ".lora_B.weight"), module);
        double sc = tensor(m, a, module + ".lora_scaling." + a.name(), module)[0];
        int r = aw.length / in;
        if (r * in != aw.length || bw.length != out * r) {
            throw new MergeException("adapter '" + a.name() + "', module '" + module + "': lora_A has " + aw.length
                    + " values and lora_B " + bw.length + ", which do not fit a [" + out + ", " + in + "] weight");
        }
        double[] ba = Dense.times(bw, aw, out, r, in);
        for (int i = 0; i < ba.length; i++) {
            ba[i] *= sc;
        }
        if (a.method() != io.ortune.graph.peft.PeftMethod.DORA) {
            for (int i = 0; i < ba.length; i++) {
                ba[i] *= gate;
            }
            return ba;
        }
        double[] mag = tensor(m, a, a.tensors().get(PEFT_PREFIX + module + ".lora_magnitude_vector"), module);
        double[] d = new double[out * in];
        for (int o = 0; o < out; o++) {
            double norm = 0;
            for (int i = 0; i < in; i++) {
                double v = w[o * in + i] + ba[o * in + i];
                norm += v * v;
            }
            double ms = mag[o] / Math.sqrt(norm);
            for (int i = 0; i < in; i++) {
                d[o * in + i] = gate * ((ms - 1) * w[o * in + i] + ms * ba[o * in + i]);
            }
        }
        return d;
    }

    private static TaskDelta scaleOutput(Model m, Join j, double[] w, int out, int in) {
        double[] l = vector(m, j, out);
        double[] d = new double[out * in];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                d[o * in + i] = w[o * in + i] * (l[o] - 1);
            }
        }
        double[] db = null;
        Value bias = j.site().bias();
        if (bias != null) {
            double[] b = Dense.values(bias.constant());
            db = new double[b.length];
            for (int o = 0; o < b.length; o++) {
                db[o] = b[o] * (l[o] - 1);
            }
        }
        return new TaskDelta(j.module(), j.adapter().name(), out, in, d, db);
    }

    private static double[] vector(Model m, Join j, int n) {
        AdapterInfo a = j.adapter();
        double[] l = tensor(m, a, a.tensors().get(PEFT_PREFIX + j.module() + ".ia3_l"), j.module());
        if (l.length != n) {
            throw new MergeException("IA3 adapter '" + a.name() + "', module '" + j.module() + "': the vector has "
                    + l.length + " values, expected " + n);
        }
        return l;
    }

    private static double[] tensor(Model m, AdapterInfo a, String name, String module) {
        Graph g = m.graph();
        Value v = name == null ? null : g.initializer(name);
        if (v == null || v.constant() == null) {
            throw new MergeException("adapter '" + a.name() + "', module '" + module + "': tensor '" + name
                    + "' is missing from graph '" + g.name() + "'");
        }
        return Dense.values(v.constant());
    }
}
