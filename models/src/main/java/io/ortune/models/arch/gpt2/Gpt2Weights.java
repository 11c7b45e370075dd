package io.ortune.models.arch.gpt2;

import io.ortune.models.arch.WeightSpec;
import io.ortune.models.config.Gpt2Config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every GPT-2 weight name, as Hugging Face's {@code GPT2LMHeadModel} names them, and the shapes a config gives
 * them. Projections are Hugging Face {@code Conv1D}s, weights stored [in, out].
 *
 * <p>Two attention layouts: the usual fused {@code attn.c_attn} [E, 3E] (q, k, v column blocks), or split
 * {@code attn.q_proj}, {@code attn.k_proj}, {@code attn.v_proj}, each [E, E] plus bias, in the same Conv1D layout
 * (the column blocks of c_attn). A checkpoint's names decide which ({@link Layout#of}).
 */
public final class Gpt2Weights {

    /** The prefix of the transformer body's names in {@code GPT2LMHeadModel}. */
    public static final String PREFIX = "transformer.";
    public static final String WTE = "transformer.wte";
    public static final String WPE = "transformer.wpe";
    public static final String LN_F = "transformer.ln_f";
    public static final String LM_HEAD = "lm_head";

    /** Fused or split q/k/v projections. */
    public enum Layout {
        FUSED, SPLIT;

        /** SPLIT when layer 0 has split projections and no fused one; FUSED otherwise. */
        public static Layout of(Set<String> names) {
            Block b0 = block(0);
            boolean split = names.contains(b0.qProj() + ".weight") && !names.contains(b0.cAttn() + ".weight");
            return split ? SPLIT : FUSED;
        }
    }

    private Gpt2Weights() {
    }

    /** The module paths of transformer block {@code index}. */
    public record Block(int index) {
        public String path() {
            return "transformer.h." + index;
        }

        public String ln1() {
            return path() + ".ln_1";
        }

        public String attn() {
            return path() + ".attn";
        }

        public String cAttn() {
            return attn() + ".c_attn";
        }

        public String qProj() {
            return attn() + ".q_proj";
        }

        public String kProj() {
            return attn() + ".k_proj";
        }

        public String vProj() {
            return attn() + ".v_proj";
        }

        public String attnProj() {
            return attn() + ".c_proj";
        }

        public String ln2() {
            return path() + ".ln_2";
        }

        public String mlp() {
            return path() + ".mlp";
        }

        public String cFc() {
            return mlp() + ".c_fc";
        }

        public String mlpProj() {
            return mlp() + ".c_proj";
        }
    }

    public static Block block(int index) {
        return new Block(index);
    }

    /** The weights of a model of {@code c} in {@code layout}. */
    public static List<WeightSpec> specs(Gpt2Config c, Layout layout) {
        long e = c.nEmbd();
        double projStd = WeightSpec.DEFAULT_STD / Math.sqrt(2.0 * c.nLayer());
        List<WeightSpec> out = new ArrayList<>();
        out.add(WeightSpec.matrix(WTE + ".weight", c.vocabSize(), e));
        out.add(WeightSpec.matrix(WPE + ".weight", c.nPositions(), e));
        for (int i = 0; i < c.nLayer(); i++) {
            Block b = block(i);
            layerNorm(out, b.ln1(), e);
            if (layout == Layout.FUSED) {
                conv1d(out, b.cAttn(), e, 3 * e, WeightSpec.DEFAULT_STD);
            } else {
                for (String m : List.of(b.qProj(), b.kProj(), b.vProj())) {
                    conv1d(out, m, e, e, WeightSpec.DEFAULT_STD);
                }
            }
            conv1d(out, b.attnProj(), e, e, projStd);
            layerNorm(out, b.ln2(), e);
            conv1d(out, b.cFc(), e, c.nInner(), WeightSpec.DEFAULT_STD);
            conv1d(out, b.mlpProj(), c.nInner(), e, projStd);
        }
        layerNorm(out, LN_F, e);
        if (!c.tieWordEmbeddings()) {
            out.add(WeightSpec.matrix(LM_HEAD + ".weight", c.vocabSize(), e));
        }
        return out;
    }

    private static void conv1d(List<WeightSpec> out, String module, long in, long outDim, double std) {
        out.add(WeightSpec.matrix(module + ".weight", in, outDim).withStd(std));
        out.add(WeightSpec.bias(module + ".bias", outDim));
    }

    private static void layerNorm(List<WeightSpec> out, String module, long size) {
        out.add(WeightSpec.scale(module + ".weight", size));
        out.add(WeightSpec.bias(module + ".bias", size));
    }

    /**
     * Canonical name → checkpoint name. Checkpoints saved from {@code GPT2Model} (such as the original {@code gpt2}
     * repository) lack the {@code transformer.} prefix; their names get it, as {@code from_pretrained} does.
     */
    public static Map<String, String> canonicalNames(Set<String> names) {
        boolean prefixed = names.stream().anyMatch(n -> n.startsWith(PREFIX));
        Map<String, String> m = new TreeMap<>();
        for (String n : names) {
            m.put(prefixed || n.startsWith(LM_HEAD + ".") ? n : PREFIX + n, n);
        }
        return m;
    }

    /**
     * Checkpoint tensors GPT-2 does not use: the causal-mask buffers {@code attn.bias} and {@code attn.masked_bias}
     * of older checkpoints, and an {@code lm_head.weight} copy of the tied embedding.
     */
    public static boolean ignorable(Gpt2Config c, String name) {
        return name.endsWith(".attn.bias") || name.endsWith(".attn.masked_bias")
                || c.tieWordEmbeddings() && name.equals(LM_HEAD + ".weight");
    }
}
