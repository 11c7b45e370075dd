package io.ortune.models.arch.nn;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

/** Small shape helpers: a dimension as a scalar, declaring a type the op rules cannot infer. */
public final class Shapes {

    private Shapes() {
    }

    /** Dimension {@code axis} of {@code x} as an int64 scalar. */
    public static Value dim(GraphBuilder b, Value x, long axis) {
        return b.gather(b.shape(x), b.constLong(axis), 0);
    }

    /** Sets {@code v}'s type (for ops without an inference rule, such as CumSum) and returns it. */
    public static Value typed(Value v, DataType dtype, Object... dims) {
        v.setType(ValueType.tensor(dtype, Shape.of(dims)));
        return v;
    }
}
