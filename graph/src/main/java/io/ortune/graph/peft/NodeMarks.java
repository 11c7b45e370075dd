package io.ortune.graph.peft;

import io.ortune.graph.ir.Node;

/**
 * Marks that rewrites put on nodes, as node {@code metadata_props} (so they survive save and load):
 * {@value #TRAINING_ONLY} for nodes that exist only while training (LoRA dropout; removed for inference by
 * {@link StripTrainingOnlyPass}), and {@value #STOP_GRADIENT} for an {@code Identity} whose output the autodiff
 * treats as a constant (DoRA's weight norm, which PEFT detaches).
 */
public final class NodeMarks {

    /** Node metadata key: the node is removed, its first input taking its first output's place, for inference. */
    public static final String TRAINING_ONLY = "ortune.training_only";
    /** Node metadata key: no gradient flows through this node's output to its inputs. */
    public static final String STOP_GRADIENT = "ortune.stop_gradient";

    private NodeMarks() {
    }

    public static void markTrainingOnly(Node n) {
        n.metadataProps().put(TRAINING_ONLY, "true");
    }

    public static boolean isTrainingOnly(Node n) {
        return "true".equals(n.metadataProps().get(TRAINING_ONLY));
    }

    public static void markStopGradient(Node n) {
        n.metadataProps().put(STOP_GRADIENT, "true");
    }

    public static boolean isStopGradient(Node n) {
        return "true".equals(n.metadataProps().get(STOP_GRADIENT));
    }
}
