package io.ortune.graph.peft;

import io.ortune.graph.analysis.TopologicalSort;
import io.ortune.graph.build.NameScope;
import io.ortune.graph.build.OpSchemas;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.Arrays;
import java.util.List;

/**
 * The node-level edits the PEFT passes make to a copied model: new initializers, new nodes appended (named under
 * the module they belong to), uses re-routed, and a final stable topological sort.
 *
 * <p>Why not {@code GraphBuilder}: the builder targets opset 13 or newer, and PEFT passes must also rewrite exporter
 * models as they are (all-MiniLM-L6-v2 is opset 11) without converting them. So this class emits only ops whose
 * signature has not changed from opset 11 to today (no {@code Unsqueeze}/{@code Squeeze}/{@code Split}/reductions,
 * whose axes moved from attributes to inputs); output types come from the same schema rules the builder uses
 * ({@link OpSchemas}), which also check each node.
 */
final class GraphEdit {

    /** Opset whose schema rules type the nodes emitted here (the forms emitted are the same from opset 11 on). */
    private static final long RULES_OPSET = 13;

    private final Graph g;
    private final NameScope names;
    private final long opset;

    GraphEdit(Model m) {
        this.g = m.graph();
        this.names = NameScope.of(g);
        this.opset = Math.max(RULES_OPSET, m.opsetVersion(""));
    }

    /** Runs {@code body} with nodes named under {@code path}. */
    <T> T in(String path, java.util.function.Supplier<T> body) {
        int token = names.push(path);
        try {
            return body.get();
        } finally {
            names.pop(token);
        }
    }

    /** A new initializer; fails naming the tensor when a value of that name exists (an adapter injected twice). */
    Value initializer(String name, Tensor t) {
        if (!names.reserveValue(name)) {
            throw new IllegalArgumentException("the model already has a value named '" + name + "' (is this adapter "
                    + "already injected? give another adapter name)");
        }
        return g.addInitializer(t.withName(name));
    }

    /** A {@code Constant} node holding {@code t}. */
    Value constant(Tensor t) {
        return op("Constant", List.of(), new Attribute.TensorAttr("value", t));
    }

    Value longs(long... v) {
        return constant(Tensor.vectorLong("value", v));
    }

    /** A scalar constant of floating-point {@code dtype}. */
    Value scalar(DataType dtype, double v) {
        return constant(AdapterTensors.filled("value", dtype, new long[0], v));
    }

    /** Appends one node of a default-domain op and returns its single output, typed by the schema rules. */
    Value op(String opType, List<Value> inputs, Attribute... attrs) {
        String nodeName = names.nodeName(opType);
        Node n = g.addNode(nodeName, "", opType, inputs, List.of(names.outputName(nodeName, 0)), Arrays.asList(attrs));
        List<ValueType> types = OpSchemas.infer(n, opset);
        n.output().setType(types.get(0));
        return n.output();
    }

    Value add(Value a, Value b) {
        return op("Add", List.of(a, b));
    }

    Value mul(Value a, Value b) {
        return op("Mul", List.of(a, b));
    }

    Value matMul(Value a, Value b) {
        return op("MatMul", List.of(a, b));
    }

    Value transpose(Value x, long... perm) {
        return op("Transpose", List.of(x), Attribute.ints("perm", perm));
    }

    Value reshape(Value x, long... shape) {
        return op("Reshape", List.of(x, longs(shape)));
    }

    Value concat(long axis, Value... xs) {
        return op("Concat", List.of(xs), new Attribute.IntAttr("axis", axis));
    }

    Value gather(Value data, Value indices, long axis) {
        return op("Gather", List.of(data, indices), new Attribute.IntAttr("axis", axis));
    }

    Value shape(Value x) {
        return op("Shape", List.of(x));
    }

    Value expand(Value x, Value shape) {
        return op("Expand", List.of(x, shape));
    }

    /** {@code x[starts:ends]} on {@code axes}, step 1 (Slice with inputs, the form since opset 10). */
    Value slice(Value x, long[] starts, long[] ends, long[] axes) {
        return op("Slice", List.of(x, longs(starts), longs(ends), longs(axes)));
    }

    Value cast(Value x, DataType to) {
        return op("Cast", List.of(x), new Attribute.IntAttr("to", to.onnxCode()));
    }

    Value where(Value cond, Value a, Value b) {
        return op("Where", List.of(cond, a, b));
    }

    /**
     * Makes every reader of {@code old} other than the nodes {@code except} read {@code replacement}, graph outputs
     * included (an output keeps its name: the replacement is renamed and the old value gets a fresh name).
     */
    void rerouteUses(Value old, Value replacement, Node... except) {
        List<Node> keep = Arrays.asList(except);
        for (Value.Use u : List.copyOf(old.uses())) {
            if (!keep.contains(u.node())) {
                u.node().setInput(u.inputIndex(), replacement);
            }
        }
        rerouteOutputs(old, replacement);
    }

    /** Graph outputs that are {@code old} become {@code replacement}, under the output's name. */
    void rerouteOutputs(Value old, Value replacement) {
        for (int i = 0; i < g.outputs().size(); i++) {
            if (g.outputs().get(i) == old) {
                String name = old.name();
                old.setName(names.uniqueValue(name + "_base"));
                replacement.setName(name);
                g.replaceOutput(i, replacement);
            }
        }
    }

    /** Restores a topological node order after nodes were appended. */
    void sort() {
        g.reorderNodes(TopologicalSort.order(g));
    }
}
