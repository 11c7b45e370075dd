package io.ortune.training.autodiff;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@link Autodiff} did.
 *
 * @param forwardNodesWalked       forward nodes between the loss and the trainable parameters
 * @param nodesEmitted             nodes appended to the graph (gradient rules, sums, recomputation, naming)
 * @param withGradient             trainable parameters that got a gradient, in selection order
 * @param withoutGradient          trainable parameters without one (they do not affect the loss), with the reason
 * @param frozen                   parameters left frozen
 * @param rulesUsed                op type to the number of nodes its rule differentiated
 * @param ortKernelsUsed           fused ONNX Runtime gradient kernels emitted, by op type (empty when not enabled)
 * @param recomputedNodes          forward nodes copied for recomputation (0 when not enabled)
 * @param notes                    rewrites of the forward graph and other things worth knowing
 */
public record AutodiffReport(int forwardNodesWalked, int nodesEmitted, List<String> withGradient,
                             Map<String, String> withoutGradient, List<String> frozen,
                             SortedMap<String, Integer> rulesUsed, SortedMap<String, Integer> ortKernelsUsed,
                             int recomputedNodes, List<String> notes) {

    public AutodiffReport {
        withGradient = List.copyOf(withGradient);
        withoutGradient = Map.copyOf(withoutGradient);
        frozen = List.copyOf(frozen);
        rulesUsed = new TreeMap<>(rulesUsed);
        ortKernelsUsed = new TreeMap<>(ortKernelsUsed);
        notes = List.copyOf(notes);
    }

    /** A few lines for logs. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append("autodiff: walked ").append(forwardNodesWalked).append(" forward nodes, emitted ")
                .append(nodesEmitted).append(" nodes; gradients for ").append(withGradient.size())
                .append(" parameter(s), ").append(frozen.size()).append(" frozen");
        if (!withoutGradient.isEmpty()) {
            s.append("\n  without gradient: ").append(withoutGradient);
        }
        s.append("\n  rules: ").append(rulesUsed);
        if (!ortKernelsUsed.isEmpty()) {
            s.append("\n  ONNX Runtime gradient kernels: ").append(ortKernelsUsed);
        }
        if (recomputedNodes > 0) {
            s.append("\n  recomputed forward nodes: ").append(recomputedNodes);
        }
        for (String n : notes) {
            s.append("\n  note: ").append(n);
        }
        return s.toString();
    }
}
