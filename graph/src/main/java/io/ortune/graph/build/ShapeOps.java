package io.ortune.graph.build;

import static io.ortune.graph.build.Emitter.in;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.List;

/** The ops whose emitted form depends on the target opset (axes and splits as attributes or as inputs). */
final class ShapeOps {

    private final Emitter e;

    ShapeOps(Emitter e) {
        this.e = e;
    }

    private Value longs(long... values) {
        return e.constant(Tensor.vectorLong("value", values));
    }

    Value reshape(Value x, Value shape) {
        return e.one("Reshape", in(x, shape));
    }

    Value transpose(Value x, long... perm) {
        return perm.length == 0 ? e.one("Transpose", in(x))
                : e.one("Transpose", in(x), Attribute.ints("perm", perm));
    }

    Value squeeze(Value x, long... axes) {
        return axes.length == 0 ? e.one("Squeeze", in(x)) : e.one("Squeeze", in(x, longs(axes)));
    }

    Value unsqueeze(Value x, long... axes) {
        if (axes.length == 0) {
            throw new IllegalArgumentException("unsqueeze needs at least one axis");
        }
        return e.one("Unsqueeze", in(x, longs(axes)));
    }

    List<Value> split(Value x, long axis, long... sizes) {
        if (sizes.length == 0) {
            throw new IllegalArgumentException("split needs the part sizes (or use splitEven)");
        }
        return e.emit("", "Split", in(x, longs(sizes)), List.of(new Attribute.IntAttr("axis", axis)), sizes.length)
                .outputs();
    }

    List<Value> splitEven(Value x, long axis, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("splitEven needs at least one part, got " + parts);
        }
        Attribute num = e.opset() >= 18 ? new Attribute.IntAttr("num_outputs", parts) : null;
        return e.emit("", "Split", in(x), java.util.Arrays.asList(new Attribute.IntAttr("axis", axis), num), parts)
                .outputs();
    }

    Value slice(Value x, Value starts, Value ends, Value axes, Value steps) {
        if (steps != null) {
            return e.one("Slice", in(x, starts, ends, axes, steps));
        }
        return e.one("Slice", axes == null ? in(x, starts, ends) : in(x, starts, ends, axes));
    }

    /** ReduceSum takes axes as an input from opset 13; the other reductions from opset 18. */
    Value reduce(String opType, Value x, long[] axes, boolean keepDims) {
        Attribute keep = new Attribute.IntAttr("keepdims", keepDims ? 1 : 0);
        if (axes == null || axes.length == 0) {
            return e.one(opType, in(x), keep);
        }
        boolean axesAsInput = opType.equals("ReduceSum") || e.opset() >= 18;
        if (axesAsInput) {
            return e.one(opType, in(x, longs(axes)), keep);
        }
        return e.one(opType, in(x), Attribute.ints("axes", axes), keep);
    }
}
