package io.ortune.training.qlora;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The frozen state of a graph's NF4 weights: the initializers that {@code MatMulBnb4}'s codes and scales come from
 * (directly, or through the in-graph dequantization of double-quantized scales). Training artifacts must feed them
 * as frozen parameters from the checkpoint: left as initializers, ONNX Runtime would constant-fold the backward
 * pass's dequantization into a float32 copy of every weight.
 */
public final class Nf4State {

    private Nf4State() {
    }

    /** Names of the initializers behind inputs 1 and 2 of every {@code MatMulBnb4} node of {@code g}. */
    public static Set<String> initializers(Graph g) {
        Set<String> out = new LinkedHashSet<>();
        for (Node n : g.nodes()) {
            if (!n.opType().equals("MatMulBnb4") || !Nf4QuantizePass.MS_DOMAIN.equals(n.domain())) {
                continue;
            }
            Deque<Value> pending = new ArrayDeque<>();
            pending.add(n.input(1));
            pending.add(n.input(2));
            while (!pending.isEmpty()) {
                Value v = pending.pop();
                if (v.isInitializer() && g.initializer(v.name()) == v) {
                    out.add(v.name());
                } else if (v.producer() != null) {
                    for (Value in : v.producer().inputs()) {
                        if (in != null) {
                            pending.add(in);
                        }
                    }
                }
            }
        }
        return out;
    }
}
