package io.ortune.training.autodiff;

import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.List;

/**
 * The vector-Jacobian product of one op: given the gradients of a node's outputs, emit nodes computing the
 * gradients of its inputs.
 */
@FunctionalInterface
public interface GradientRule {

    /**
     * @param ctx         the builder and helpers; read forward values through {@link GradContext#input} and
     *                    {@link GradContext#output} (they may be recomputed copies), and skip inputs for which
     *                    {@link GradContext#wants} is false
     * @param node        the forward node (for attributes, dtypes and static shapes)
     * @param outputGrads one gradient per output of {@code node}, null where nothing flows back
     * @return one gradient per input of {@code node} (same shape and dtype as the input), null where there is
     *         none (entries past the node's last input must be null: a rule may return a fixed-size list for
     *         optional inputs); or null when no input gets one
     */
    List<Value> vjp(GradContext ctx, Node node, List<Value> outputGrads);
}
