package io.ortune.models.arch.llama;

import io.ortune.models.arch.WeightSpec;
import io.ortune.models.config.LlamaConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Every Llama-family weight name, as Hugging Face's {@code LlamaForCausalLM} (and Mistral, Qwen2) names them, and
 * the shapes a config gives them. Module paths here name both the weights ({@code <module>.weight}) and the nodes.
 */
public final class LlamaWeights {

    /** Token embedding module. */
    public static final String EMBED_TOKENS = "model.embed_tokens";
    /** Final RMSNorm module. */
    public static final String NORM = "model.norm";
    /** Untied LM head module. */
    public static final String LM_HEAD = "lm_head";

    private LlamaWeights() {
    }

    /** The module paths of decoder layer {@code index}. */
    public record Layer(int index) {
        public String path() {
            return "model.layers." + index;
        }

        public String inputNorm() {
            return path() + ".input_layernorm";
        }

        public String selfAttn() {
            return path() + ".self_attn";
        }

        public String qProj() {
            return selfAttn() + ".q_proj";
        }

        public String kProj() {
            return selfAttn() + ".k_proj";
        }

        public String vProj() {
            return selfAttn() + ".v_proj";
        }

        public String oProj() {
            return selfAttn() + ".o_proj";
        }

        public String postAttentionNorm() {
            return path() + ".post_attention_layernorm";
        }

        public String mlp() {
            return path() + ".mlp";
        }

        public String gateProj() {
            return mlp() + ".gate_proj";
        }

        public String upProj() {
            return mlp() + ".up_proj";
        }

        public String downProj() {
            return mlp() + ".down_proj";
        }
    }

    public static Layer layer(int index) {
        return new Layer(index);
    }

    /** The weights of a model of {@code c}, in checkpoint order. */
    public static List<WeightSpec> specs(LlamaConfig c) {
        long d = c.hiddenSize();
        long q = (long) c.numAttentionHeads() * c.headDim();
        long kv = c.kvDim();
        long inter = c.intermediateSize();
        List<WeightSpec> out = new ArrayList<>();
        out.add(WeightSpec.matrix(EMBED_TOKENS + ".weight", c.vocabSize(), d));
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            Layer l = layer(i);
            out.add(WeightSpec.scale(l.inputNorm() + ".weight", d));
            linear(out, l.qProj(), q, d, c.qkvBias());
            linear(out, l.kProj(), kv, d, c.qkvBias());
            linear(out, l.vProj(), kv, d, c.qkvBias());
            linear(out, l.oProj(), d, q, c.oProjBias());
            out.add(WeightSpec.scale(l.postAttentionNorm() + ".weight", d));
            linear(out, l.gateProj(), inter, d, c.mlpBias());
            linear(out, l.upProj(), inter, d, c.mlpBias());
            linear(out, l.downProj(), d, inter, c.mlpBias());
        }
        out.add(WeightSpec.scale(NORM + ".weight", d));
        if (!c.tieWordEmbeddings()) {
            out.add(WeightSpec.matrix(LM_HEAD + ".weight", c.vocabSize(), d));
        }
        return out;
    }

    private static void linear(List<WeightSpec> out, String module, long rows, long cols, boolean bias) {
        out.add(WeightSpec.matrix(module + ".weight", rows, cols));
        if (bias) {
            out.add(WeightSpec.bias(module + ".bias", rows));
        }
    }

    /**
     * Checkpoint tensors a Llama model does not use: the {@code rotary_emb.inv_freq} buffers older checkpoints
     * saved, and a copy of the embedding saved as {@code lm_head.weight} by a tied model.
     */
    public static boolean ignorable(LlamaConfig c, String name) {
        return name.endsWith(".rotary_emb.inv_freq") || c.tieWordEmbeddings() && name.equals(LM_HEAD + ".weight");
    }
}
