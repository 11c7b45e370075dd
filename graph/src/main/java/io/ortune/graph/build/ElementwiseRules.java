package io.ortune.graph.build;

import static io.ortune.graph.build.OpContext.FLOATING;
import static io.ortune.graph.build.OpContext.NUMERIC;
import static io.ortune.graph.build.OpContext.tensor;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.ValueType;

import java.util.List;
import java.util.Map;

/** Schema rules for elementwise ops: arithmetic, comparisons, logic, unary math, Where, Cast, Clip, Softmax. */
final class ElementwiseRules {

    private ElementwiseRules() {
    }

    static void register(Map<String, OpRule> rules) {
        for (String op : List.of("Add", "Sub", "Mul", "Div", "Mod")) {
            rules.put(op, ElementwiseRules::arithmetic);
        }
        for (String op : List.of("Max", "Min", "Sum", "Mean")) {
            rules.put(op, ElementwiseRules::variadic);
        }
        for (String op : List.of("Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual")) {
            rules.put(op, ElementwiseRules::comparison);
        }
        for (String op : List.of("And", "Or", "Xor")) {
            rules.put(op, ElementwiseRules::logical);
        }
        for (String op : List.of("Sqrt", "Exp", "Log", "Tanh", "Sigmoid", "Erf", "Sin", "Cos", "Floor", "Ceil",
                "Round", "Reciprocal", "Softplus", "Gelu")) {
            rules.put(op, ElementwiseRules::floatUnary);
        }
        for (String op : List.of("Neg", "Abs", "Relu", "Sign")) {
            rules.put(op, ElementwiseRules::numericUnary);
        }
        rules.put("Pow", ElementwiseRules::pow);
        rules.put("Not", ElementwiseRules::not);
        rules.put("Identity", ElementwiseRules::identity);
        rules.put("Softmax", ElementwiseRules::softmax);
        rules.put("LogSoftmax", ElementwiseRules::softmax);
        rules.put("Cast", ElementwiseRules::cast);
        rules.put("Clip", ElementwiseRules::clip);
        rules.put("Dropout", ElementwiseRules::dropout);
        rules.put("Where", ElementwiseRules::where);
        rules.put("CumSum", ElementwiseRules::cumSum);
    }

    /** Broadcasts the shapes of the given inputs; fails naming them when they conflict. */
    static Shape broadcast(OpContext c, int... idx) {
        Shape out = c.shape(idx[0]);
        for (int k = 1; k < idx.length; k++) {
            Shape next = Dims.broadcast(out, c.shape(idx[k]));
            if (next == null) {
                StringBuilder shapes = new StringBuilder();
                for (int i : idx) {
                    shapes.append(shapes.length() == 0 ? "" : " vs ").append(c.shape(i));
                }
                throw c.fail("input shapes do not broadcast: " + shapes);
            }
            out = next;
        }
        return out;
    }

    private static List<ValueType> arithmetic(OpContext c) {
        c.arity(2, 2);
        DataType t = c.sameDtype(0, 1);
        c.requireDtype(0, NUMERIC, "a numeric type");
        return c.result(tensor(t, broadcast(c, 0, 1)));
    }

    private static List<ValueType> pow(OpContext c) {
        c.arity(2, 2);
        c.requireDtype(0, NUMERIC, "a numeric type");
        c.requireDtype(1, NUMERIC, "a numeric type");
        return c.result(tensor(c.dtype(0), broadcast(c, 0, 1)));
    }

    private static List<ValueType> variadic(OpContext c) {
        c.arity(1, Integer.MAX_VALUE);
        int[] all = new int[c.inputCount()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
            if (!c.present(i)) {
                throw c.fail("input " + i + " is missing");
            }
        }
        DataType t = c.sameDtype(all);
        c.requireDtype(0, NUMERIC, "a numeric type");
        return c.result(tensor(t, broadcast(c, all)));
    }

    private static List<ValueType> comparison(OpContext c) {
        c.arity(2, 2);
        c.sameDtype(0, 1);
        return c.result(tensor(DataType.BOOL, broadcast(c, 0, 1)));
    }

    private static List<ValueType> logical(OpContext c) {
        c.arity(2, 2);
        c.requireDtype(0, DataType.BOOL);
        c.requireDtype(1, DataType.BOOL);
        return c.result(tensor(DataType.BOOL, broadcast(c, 0, 1)));
    }

    private static List<ValueType> not(OpContext c) {
        c.arity(1, 1);
        c.requireDtype(0, DataType.BOOL);
        return c.result(tensor(DataType.BOOL, c.shape(0)));
    }

    private static List<ValueType> floatUnary(OpContext c) {
        c.arity(1, 1);
        c.requireDtype(0, FLOATING, "a floating-point type");
        if (c.opType().equals("Gelu")) {
            String approx = c.stringAttr("approximate", "none");
            if (!approx.equals("none") && !approx.equals("tanh")) {
                throw c.fail("attribute 'approximate' must be \"none\" or \"tanh\", is \"" + approx + "\"");
            }
        }
        return c.result(tensor(c.dtype(0), c.shape(0)));
    }

    private static List<ValueType> numericUnary(OpContext c) {
        c.arity(1, 1);
        c.requireDtype(0, NUMERIC, "a numeric type");
        return c.result(tensor(c.dtype(0), c.shape(0)));
    }

    /** CumSum(x, axis): same type and shape as x; axis is an int32/int64 scalar or 1-element tensor. */
    private static List<ValueType> cumSum(OpContext c) {
        c.arity(2, 2);
        c.requireDtype(0, NUMERIC, "a numeric type");
        c.requireDtype(1, d -> d == DataType.INT32 || d == DataType.INT64, "int32 or int64");
        return c.result(tensor(c.dtype(0), c.shape(0)));
    }

    private static List<ValueType> identity(OpContext c) {
        c.arity(1, 1);
        ValueType t = c.input(0).type();
        return c.result(t != null ? t : tensor(c.dtype(0), c.shape(0)));
    }

    private static List<ValueType> softmax(OpContext c) {
        c.arity(1, 1);
        c.requireDtype(0, FLOATING, "a floating-point type");
        long axis = c.intAttr("axis", c.opset() >= 13 ? -1 : 1);
        if (c.rank(0) >= 0) {
            c.axis(axis, c.rank(0), "axis");
        }
        return c.result(tensor(c.dtype(0), c.shape(0)));
    }

    private static List<ValueType> cast(OpContext c) {
        c.arity(1, 1);
        DataType to;
        try {
            to = DataType.fromOnnx((int) c.requiredIntAttr("to"));
        } catch (IllegalArgumentException e) {
            if (e instanceof OpCheckException) {
                throw e;
            }
            throw c.fail("attribute 'to' is not a known data type: " + e.getMessage());
        }
        if (to == DataType.UNDEFINED) {
            throw c.fail("attribute 'to' is UNDEFINED");
        }
        return c.result(tensor(to, c.shape(0)));
    }

    private static List<ValueType> clip(OpContext c) {
        c.arity(1, 3);
        DataType t = c.sameDtype(0, 1, 2);
        c.requireDtype(0, NUMERIC, "a numeric type");
        if (c.present(1)) {
            c.requireScalar(1, "min");
        }
        if (c.present(2)) {
            c.requireScalar(2, "max");
        }
        return c.result(tensor(t, c.shape(0)));
    }

    private static List<ValueType> dropout(OpContext c) {
        c.arity(1, 3);
        c.outputs(1, 2);
        c.requireDtype(0, FLOATING, "a floating-point type");
        c.requireDtype(1, FLOATING, "a floating-point type");
        c.requireDtype(2, DataType.BOOL);
        if (c.present(1)) {
            c.requireScalar(1, "ratio");
        }
        return c.result(tensor(c.dtype(0), c.shape(0)), tensor(DataType.BOOL, c.shape(0)));
    }

    private static List<ValueType> where(OpContext c) {
        c.arity(3, 3);
        c.requireDtype(0, DataType.BOOL);
        DataType t;
        if (c.dtype(1) != null && c.dtype(2) != null && c.dtype(1) != c.dtype(2)) {
            throw c.fail("input dtypes differ: input 1 (X) is " + c.dtype(1).onnxName() + ", input 2 (Y) is "
                    + c.dtype(2).onnxName());
        }
        t = c.dtype(1) != null ? c.dtype(1) : c.dtype(2);
        return c.result(tensor(t, broadcast(c, 0, 1, 2)));
    }
}
