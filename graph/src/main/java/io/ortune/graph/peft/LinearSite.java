package io.ortune.graph.peft;

import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.OptionalInt;

/**
 * One linear layer found in a graph: {@code MatMul(x, W)}, {@code MatMul(x, Transpose(W))} or {@code Gemm}, with W a
 * constant 2-D floating-point initializer.
 *
 * @param module          module path ({@code model.layers.0.self_attn.q_proj}); for a node whose names carry no
 *                        module, {@code node:<node name>}
 * @param node            the MatMul or Gemm node
 * @param input           x, the activation the layer reads
 * @param weight          the weight initializer
 * @param transpose       the Transpose node between W and the MatMul, or null
 * @param layout          how W is stored
 * @param inFeatures      input width
 * @param outFeatures     output width
 * @param bias            the bias initializer added after the MatMul (or Gemm's C), or null
 * @param biasAdd         the Add node that adds {@code bias} after a MatMul, or null (Gemm adds its own)
 * @param output          the layer's output after the bias: where an adapter's delta is added
 * @param layer           transformer layer index from the module path, if any
 * @param weightUses      how many linear nodes read this weight (above 1: the weight is shared)
 * @param tiedToEmbedding the weight is also read by a Gather (an embedding table): the head is tied
 * @param outputHead      the layer produces a graph output directly (the LM or classifier head), or is named
 *                        {@code lm_head}
 */
public record LinearSite(String module, Node node, Value input, Value weight, Node transpose, WeightLayout layout,
                         long inFeatures, long outFeatures, Value bias, Node biasAdd, Value output, OptionalInt layer,
                         int weightUses, boolean tiedToEmbedding, boolean outputHead) {

    /** PEFT's {@code fan_in_fan_out}: the weight is stored {@code [in, out]}. */
    public boolean fanInFanOut() {
        return layout == WeightLayout.IN_OUT;
    }

    /** The module path's last component ({@code q_proj}). */
    public String leaf() {
        return ModulePaths.leaf(module);
    }

    /** Element count of the weight. */
    public long weightElements() {
        return inFeatures * outFeatures;
    }
}
