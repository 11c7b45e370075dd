package io.ortune.training.autodiff;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * One forward graph for gradient checking: floating-point graph inputs drawn by a {@link Sampler}, and a body
 * (one op, or a small composite) built on them. The checked loss is {@code L = sum(y * r)} with a fixed random
 * {@code r}.
 */
record OpCase(String name, int opset, DataType dtype, List<Input> inputs, Body body, Tolerance tolerance,
              AutodiffOptions options) {

    /** Builds the output from the graph inputs, in declaration order. */
    @FunctionalInterface
    interface Body {
        Value build(GraphBuilder b, List<Value> xs);
    }

    /** A graph input; {@code differentiable=false} keeps it out of the trainable set. */
    record Input(String name, long[] dims, Sampler sampler, boolean differentiable) { }

    static Builder of(String name) {
        return new Builder(name);
    }

    OpCase withOptions(AutodiffOptions o) {
        return new OpCase(name, opset, dtype, inputs, body, tolerance, o);
    }

    OpCase withName(String n) {
        return new OpCase(n, opset, dtype, inputs, body, tolerance, options);
    }

    OpCase withBody(Body b) {
        return new OpCase(name, opset, dtype, inputs, b, tolerance, options);
    }

    /** The same case in float32, with float32's default tolerance. */
    OpCase asFloat32() {
        return new OpCase(name, opset, DataType.FLOAT, inputs, body, Tolerance.FLOAT, options);
    }

    OpCase withTolerance(Tolerance t) {
        return new OpCase(name, opset, dtype, inputs, body, t, options);
    }

    @Override
    public String toString() {
        return name + " [" + dtype.onnxName() + "]";
    }

    /** Fluent construction: inputs, dtype (double by default), opset (17 by default), body. */
    static final class Builder {
        private final String name;
        private final List<Input> inputs = new ArrayList<>();
        private DataType dtype = DataType.DOUBLE;
        private int opset = 17;
        private Tolerance tolerance;
        private AutodiffOptions options = AutodiffOptions.defaults();

        private Builder(String name) {
            this.name = name;
        }

        Builder in(String inputName, Sampler s, long... dims) {
            inputs.add(new Input(inputName, dims, s, true));
            return this;
        }

        /** A float input that does not get a gradient (frozen). */
        Builder fixed(String inputName, Sampler s, long... dims) {
            inputs.add(new Input(inputName, dims, s, false));
            return this;
        }

        Builder dtype(DataType t) {
            this.dtype = t;
            return this;
        }

        /** float32: for ops without float64 kernels in ONNX Runtime. */
        Builder float32() {
            return dtype(DataType.FLOAT);
        }

        Builder opset(int v) {
            this.opset = v;
            return this;
        }

        Builder tolerance(Tolerance t) {
            this.tolerance = t;
            return this;
        }

        Builder options(AutodiffOptions o) {
            this.options = o;
            return this;
        }

        OpCase body(Body body) {
            return new OpCase(name, opset, dtype, List.copyOf(inputs), body,
                    tolerance != null ? tolerance : Tolerance.forDtype(dtype), options);
        }
    }
}
