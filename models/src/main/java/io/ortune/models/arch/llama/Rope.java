package io.ortune.models.arch.llama;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Value;
import io.ortune.models.arch.nn.Modules;
import io.ortune.models.config.LlamaConfig;
import io.ortune.models.config.RopeScaling;

import java.util.List;

/**
 * Rotary position embeddings in Hugging Face's {@code rotate_half} convention: each head is split into halves
 * (x₁, x₂) rotated by angle {@code position · inv_freq}, {@code x · cos + rotate_half(x) · sin} with
 * {@code rotate_half(x) = (−x₂, x₁)}.
 *
 * <p>The frequencies follow {@code rope_theta} and {@code rope_scaling}: plain, {@code linear} and {@code llama3} are
 * computed here in Java (float64, stored as float32 constants); {@code dynamic} (NTK) depends on the longest
 * position of each call, so the graph computes it as Hugging Face does per forward call
 * ({@code base · (factor · L / max_pos − (factor − 1))^(d / (d − 2))} with {@code L = max(max(position_ids) + 1,
 * max_pos)}). Hugging Face's module additionally remembers the longest length seen across calls; the graph is
 * stateless, which gives the same result whenever lengths only grow (as in generation). {@code yarn} is refused.
 */
@SuppressWarnings("try") // module scopes are entered for their effect on node names
public final class Rope {

    /** The scaling kinds this class implements. */
    public static final List<String> SUPPORTED_SCALING = List.of("linear", "dynamic", "llama3");

    /** cos and sin of every position's angles, [batch, 1, sequence, head_dim] (broadcast over heads). */
    public record Tables(Value cos, Value sin) { }

    private Rope() {
    }

    /** Fails clearly for a {@code rope_scaling} kind the builder cannot express. */
    public static void requireSupported(LlamaConfig c) {
        RopeScaling.requireSupported(c.ropeScaling().orElse(null), "ortune's Llama builder", SUPPORTED_SCALING);
    }

    /** Unscaled {@code inv_freq[i] = θ^(−2i/d)}, i = 0 .. d/2 − 1. */
    static double[] baseInvFreq(double theta, int headDim) {
        double[] inv = new double[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1.0 / Math.pow(theta, 2.0 * i / headDim);
        }
        return inv;
    }

    /** The inverse frequencies of {@code c} when they do not depend on the input ({@code dynamic}: the unscaled ones). */
    public static double[] invFreq(LlamaConfig c) {
        double[] inv = baseInvFreq(c.ropeTheta(), c.headDim());
        RopeScaling s = c.ropeScaling().orElse(null);
        if (s instanceof RopeScaling.Linear l) {
            for (int i = 0; i < inv.length; i++) {
                inv[i] /= l.factor();
            }
        } else if (s instanceof RopeScaling.Llama3 l3) {
            llama3(inv, l3);
        }
        return inv;
    }

    /** Hugging Face's {@code _compute_llama3_parameters}, in place. */
    static void llama3(double[] inv, RopeScaling.Llama3 s) {
        double old = s.originalMaxPositionEmbeddings();
        double lowFreqWavelen = old / s.lowFreqFactor();
        double highFreqWavelen = old / s.highFreqFactor();
        for (int i = 0; i < inv.length; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen > lowFreqWavelen) {
                inv[i] = inv[i] / s.factor();
            } else if (wavelen >= highFreqWavelen) {
                double smooth = (old / wavelen - s.lowFreqFactor()) / (s.highFreqFactor() - s.lowFreqFactor());
                inv[i] = (1 - smooth) * inv[i] / s.factor() + smooth * inv[i];
            }
        }
    }

    /** The cos/sin tables for {@code positionIds} (int64 [batch, sequence]), under module {@code model.rotary_emb}. */
    public static Tables tables(GraphBuilder b, LlamaConfig c, Value positionIds) {
        try (GraphBuilder.Scope s = Modules.enter(b, "model.rotary_emb")) {
            Value inv = c.ropeScaling().orElse(null) instanceof RopeScaling.Dynamic d
                    ? dynamicInvFreq(b, c, d, positionIds) : b.constFloats(toFloats(invFreq(c)));
            Value pos = b.unsqueeze(b.cast(positionIds, DataType.FLOAT), 2);
            Value freqs = b.mul(pos, inv);
            Value emb = b.concat(-1, freqs, freqs);
            return new Tables(b.unsqueeze(b.cos(emb), 1), b.unsqueeze(b.sin(emb), 1));
        }
    }

    private static Value dynamicInvFreq(GraphBuilder b, LlamaConfig c, RopeScaling.Dynamic d, Value positionIds) {
        int dim = c.headDim();
        float maxPos = c.maxPositionEmbeddings();
        Value longest = b.add(b.reduceMax(positionIds, null, false), b.constLong(1));
        Value len = b.max(b.cast(longest, DataType.FLOAT), b.constFloat(maxPos));
        Value ratio = b.sub(b.mul(b.constFloat((float) d.factor()), b.div(len, b.constFloat(maxPos))),
                b.constFloat((float) (d.factor() - 1)));
        Value base = b.mul(b.constFloat((float) c.ropeTheta()), b.pow(ratio, b.constFloat((float) dim / (dim - 2))));
        float[] exponents = new float[dim / 2];
        for (int i = 0; i < exponents.length; i++) {
            exponents[i] = (float) (2.0 * i / dim);
        }
        return b.div(b.constFloat(1f), b.pow(base, b.constFloats(exponents)));
    }

    /** {@code x · cos + rotate_half(x) · sin} for x [batch, heads, sequence, head_dim]. */
    public static Value apply(GraphBuilder b, Value x, Tables t, int headDim) {
        List<Value> halves = b.split(x, -1, headDim / 2, headDim / 2);
        Value rotated = b.concat(-1, b.neg(halves.get(1)), halves.get(0));
        return b.add(b.mul(x, t.cos()), b.mul(rotated, t.sin()));
    }

    private static float[] toFloats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
