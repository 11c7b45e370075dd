package io.ortune.training.autodiff;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gradients flowing into each forward value. A value used several times (a tied embedding, a residual
 * stream) receives one contribution per use; they are summed when the value's own gradient is first asked for,
 * which in reverse topological order is after every use has contributed.
 */
final class GradientSums {

    private final Map<Value, List<Value>> parts = new IdentityHashMap<>();
    private final Map<Value, Value> totals = new IdentityHashMap<>();

    void add(Value target, Value grad) {
        if (totals.containsKey(target)) {
            throw new IllegalStateException("gradient of '" + target.name() + "' was already summed; a contribution "
                    + "arrived after its producer was differentiated (graph not in topological order?)");
        }
        parts.computeIfAbsent(target, k -> new ArrayList<>()).add(grad);
    }

    boolean has(Value target) {
        return totals.containsKey(target) || parts.containsKey(target);
    }

    /** The summed gradient of {@code target}, or null when nothing flowed into it. */
    Value total(GraphBuilder b, Value target) {
        Value done = totals.get(target);
        if (done != null) {
            return done;
        }
        List<Value> list = parts.remove(target);
        if (list == null) {
            return null;
        }
        Value sum;
        if (list.size() == 1) {
            sum = list.get(0);
        } else if (list.size() == 2) {
            sum = b.add(list.get(0), list.get(1));
        } else {
            sum = b.op("", "Sum", list);
        }
        stamp(sum, target);
        totals.put(target, sum);
        return sum;
    }

    /**
     * A gradient has its value's type: when inference left the gradient's shape less specific (a dynamic reshape
     * on the way), take the forward value's.
     */
    static void stamp(Value grad, Value target) {
        if (grad.producer() == null || target.type() == null) {
            return;
        }
        Shape gs = grad.shape();
        Shape ts = target.shape();
        DataType t = grad.dtype() != null ? grad.dtype() : target.dtype();
        if (ts == null || !ts.hasRank() || t == null) {
            return;
        }
        if (gs == null || !gs.hasRank()) {
            grad.setType(ValueType.tensor(t, ts));
            return;
        }
        if (gs.rank() != ts.rank()) {
            throw new IllegalStateException("gradient '" + grad.name() + "' of shape " + gs + " does not match '"
                    + target.name() + "' of shape " + ts);
        }
        List<Dim> merged = new ArrayList<>();
        boolean changed = false;
        for (int i = 0; i < gs.rank(); i++) {
            Dim g = gs.dim(i);
            Dim d = ts.dim(i);
            boolean better = !g.isKnown() && (d.isKnown() || g instanceof Dim.Unknown && d instanceof Dim.Symbolic);
            merged.add(better ? d : g);
            changed |= better;
        }
        if (changed) {
            grad.setType(ValueType.tensor(t, new Shape(merged)));
        }
    }
}
