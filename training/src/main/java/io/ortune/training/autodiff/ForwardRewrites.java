package io.ortune.training.autodiff;

import io.ortune.graph.analysis.ConstantValues;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.build.OpSchemas;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Forward nodes whose gradient needs an output they were built without: SoftmaxCrossEntropyLoss's
 * {@code log_prob}, Dropout's {@code mask} (in training mode), and with ONNX Runtime kernels LayerNormalization's
 * {@code Mean} and {@code InvStdDev}. Each is replaced, in place and under its name, by the same node with the
 * extra outputs; uses of the old outputs move to the new ones.
 */
final class ForwardRewrites {

    private ForwardRewrites() {
    }

    /** How many outputs the gradient rule of {@code n} needs. */
    static int outputsNeeded(Node n, boolean fused) {
        int have = n.outputs().size();
        if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
            return have;
        }
        switch (n.opType()) {
            case "SoftmaxCrossEntropyLoss":
                return Math.max(have, 2);
            case "Dropout":
                return mayTrain(n) ? Math.max(have, 2) : have;
            case "LayerNormalization":
                return fused ? Math.max(have, 3) : have;
            default:
                return have;
        }
    }

    /** Dropout drops only when its training_mode input is present and not the constant false. */
    static boolean mayTrain(Node dropout) {
        Value mode = dropout.input(2);
        if (mode == null) {
            return false;
        }
        Tensor t = ConstantValues.of(mode);
        long[] v = ConstantValues.longs(t);
        return v == null || v.length == 0 || v[0] != 0;
    }

    /** Rewrites the nodes of {@code active} that need more outputs; returns old value to new value. */
    static Map<Value, Value> apply(Graph g, GraphBuilder b, List<Node> active, boolean fused, List<String> notes) {
        Map<Value, Value> moved = new IdentityHashMap<>();
        for (Node n : active) {
            int needed = outputsNeeded(n, fused);
            if (needed > n.outputs().size()) {
                String name = n.name();
                Node replacement = withOutputs(g, b, n, needed);
                for (int i = 0; i < n.outputs().size(); i++) {
                    moved.put(n.output(i), replacement.output(i));
                }
                notes.add(n.opType() + " '" + name + "' now also outputs " + (needed - n.outputs().size())
                        + " value(s) its gradient reads");
                g.removeNode(n);
            }
        }
        return moved;
    }

    private static Node withOutputs(Graph g, GraphBuilder b, Node n, int count) {
        String name = n.name();
        n.setName(name + "#replaced");
        List<String> outNames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            outNames.add(i < n.outputs().size() ? n.output(i).name()
                    : b.names().outputName(name.isEmpty() ? n.opType() : name, i));
        }
        Node c = g.insertNode(g.indexOf(n), name, n.domain(), n.opType(), n.inputs(), outNames,
                n.attributes().values());
        c.metadataProps().putAll(n.metadataProps()); // marks such as ortune.training_only travel with the node
        c.setDocString(n.docString());
        List<ValueType> inferred = OpSchemas.infer(c, b.opset());
        for (int i = 0; i < count; i++) {
            ValueType t = i < n.outputs().size() ? n.output(i).type() : inferred.get(i);
            if (t == null && n.opType().equals("SoftmaxCrossEntropyLoss") && i == 1) {
                t = n.input(0).type();
            }
            c.output(i).setType(t);
        }
        for (int i = 0; i < n.outputs().size(); i++) {
            Value old = n.output(i);
            Value now = c.output(i);
            old.replaceAllUsesWith(now);
            g.valueInfos().replaceAll(v -> v == old ? now : v);
        }
        return c;
    }
}
