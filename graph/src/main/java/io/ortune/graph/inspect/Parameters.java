package io.ortune.graph.inspect;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

/**
 * The one definition of a model's parameter count, used by {@code build}, {@code inspect}, the trainer and the
 * benchmarks.
 *
 * <p>A parameter is an element of an initializer (of the graph or a subgraph) that has at least one dimension and
 * holds weights: a floating-point type, or a quantized weight store (uint8, int8, uint4, int4), such as QLoRA's NF4
 * codes, which are parameters of the frozen base and are counted by stored element (one uint8 holds two 4-bit
 * codes). Not parameters: scalars (a scale such as 1/sqrt(d), an epsilon), integer shape and index tensors (int32,
 * int64, bool), and tensors held in node attributes ({@code Constant} nodes). {@link ModelSummary} reports those
 * separately as constants.
 */
public final class Parameters {

    private Parameters() {
    }

    /** Whether the initializer tensor {@code t} is a parameter by this definition. */
    public static boolean isParameter(Tensor t) {
        if (t == null || t.rank() == 0) {
            return false;
        }
        DataType d = t.dtype();
        return d.isFloatingPoint() || d == DataType.UINT8 || d == DataType.INT8 || d == DataType.UINT4
                || d == DataType.INT4;
    }

    /** Parameters of {@code model}: elements of its parameter initializers, subgraphs included. */
    public static long count(Model model) {
        return count(model.graph());
    }

    private static long count(Graph g) {
        long n = 0;
        for (Value v : g.initializers().values()) {
            if (isParameter(v.constant())) {
                n += v.constant().elementCount();
            }
        }
        for (Node node : g.nodes()) {
            for (Graph sub : node.subgraphs()) {
                n += count(sub);
            }
        }
        return n;
    }
}
