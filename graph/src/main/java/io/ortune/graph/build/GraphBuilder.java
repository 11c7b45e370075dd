package io.ortune.graph.build;

import static io.ortune.graph.build.Emitter.in;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.Arrays;
import java.util.List;

/**
 * Builds graphs that read like the math: {@code b.softmax(b.div(b.matMul(q, kT), scale), -1)}.
 *
 * <p>Every op is checked against its schema when built (input count, dtypes ONNX requires to agree, attributes
 * against the input rank) and fails with {@link OpCheckException} naming the node; output types are inferred
 * (broadcasting, symbolic dims kept; unknown when not derivable). Nodes are named after the module path of the
 * current {@link #scope}: {@code /model/layers.0/self_attn/q_proj/MatMul}.
 *
 * <p><b>Opsets.</b> A builder targets one default-domain opset (17 unless given, at least 13) and emits each op in
 * that opset's form (for example ReduceMean axes as an attribute before 18, as an input from 18). An op newer than
 * the target (Gelu needs 20) fails with a clear message instead of raising the import, because raising it would
 * change the meaning of ops already emitted. Other domains used through {@link #op} are imported at version 1
 * unless {@link #importDomain} said otherwise.
 *
 * <p>Not thread-safe. Shape-only helpers live in {@link ShapeOps}; this class holds the op catalogue.
 */
public final class GraphBuilder {

    public static final int DEFAULT_OPSET = 17;
    public static final int MIN_OPSET = 13;

    private final Emitter e;
    private final ShapeOps shapes;

    private GraphBuilder(Model model, long opset) {
        this.e = new Emitter(model, NameScope.of(model.graph()), opset);
        this.shapes = new ShapeOps(e);
    }

    /** A new model with an empty graph, default-domain opset {@value #DEFAULT_OPSET}. */
    public static GraphBuilder create(String graphName) {
        return create(graphName, DEFAULT_OPSET);
    }

    /** A new model with an empty graph targeting default-domain opset {@code opset}. */
    public static GraphBuilder create(String graphName, int opset) {
        if (opset < MIN_OPSET) {
            throw new IllegalArgumentException("the builder targets opset " + MIN_OPSET + " or newer, not " + opset);
        }
        Model m = new Model(new Graph(graphName));
        m.opsetImports().put("", (long) opset);
        m.setProducerName("ortune");
        return new GraphBuilder(m, opset);
    }

    /** A builder appending to {@code model}'s main graph, at the opset the model imports (17 if none). */
    public static GraphBuilder on(Model model) {
        long v = model.opsetVersion("");
        if (v < 0) {
            v = DEFAULT_OPSET;
            model.opsetImports().put("", v);
        }
        if (v < MIN_OPSET) {
            throw new IllegalArgumentException("the builder targets opset " + MIN_OPSET + " or newer; model imports "
                    + v + " (convert it first)");
        }
        return new GraphBuilder(model, v);
    }

    public Model model() {
        return e.model();
    }

    public Graph graph() {
        return e.graph();
    }

    /** The default-domain opset this builder emits for. */
    public long opset() {
        return e.opset();
    }

    public NameScope names() {
        return e.names();
    }

    /** Enters a module path ({@code "model.layers.0.self_attn"}); close the returned scope to leave it. */
    public Scope scope(String modulePath) {
        return new Scope(e.names(), e.names().push(modulePath));
    }

    /**
     * Runs {@code body} inside module {@code modulePath} and returns its result:
     * {@code Value q = b.scoped("q_proj", () -> b.matMul(x, wq))}.
     */
    public <T> T scoped(String modulePath, java.util.function.Supplier<T> body) {
        int token = e.names().push(modulePath);
        try {
            return body.get();
        } finally {
            e.names().pop(token);
        }
    }

    /** An open module scope; closing it returns to the enclosing one. */
    public static final class Scope implements AutoCloseable {
        private final NameScope names;
        private final int token;

        private Scope(NameScope names, int token) {
            this.names = names;
            this.token = token;
        }

        @Override
        public void close() {
            names.pop(token);
        }
    }

    /** Declares the version of a non-default domain before using its ops (default 1). */
    public void importDomain(String domain, long version) {
        if (OpSchemas.isDefaultDomain(domain)) {
            throw new IllegalArgumentException("the default domain's opset is fixed when the builder is created");
        }
        e.model().opsetImports().put(domain, version);
    }

    // ---- graph interface ---------------------------------------------------------------------------------------

    /** A graph input; dims are sizes (numbers), symbols (strings) or {@code Dim}s. */
    public Value input(String name, DataType dtype, Object... dims) {
        return input(name, ValueType.tensor(dtype, Shape.of(dims)));
    }

    public Value input(String name, ValueType type) {
        reserve(name);
        return e.graph().addInput(name, type);
    }

    /** A named initializer (weight); the name must be unused. */
    public Value initializer(String name, Tensor tensor) {
        reserve(name);
        return e.graph().addInitializer(tensor.withName(name));
    }

    /** Makes {@code value} a graph output named {@code name} (renaming it, or through an Identity when it must). */
    public Value output(Value value, String name) {
        Graph g = e.graph();
        if (g.outputs().contains(value) && name.equals(value.name())) {
            throw new IllegalArgumentException("'" + name + "' is already an output of graph '" + g.name() + "'");
        }
        boolean renamable = value.producer() != null && value.producer().graph() == g
                && !g.outputs().contains(value);
        Value out = value;
        if (!name.equals(value.name())) {
            reserve(name);
            if (renamable) {
                value.setName(name);
            } else {
                out = e.emit("", "Identity", List.of(value), List.of(), 1).output();
                out.setName(name);
            }
        }
        g.addOutput(out);
        return out;
    }

    /** Makes {@code value} a graph output under its current name. */
    public Value output(Value value) {
        return output(value, value.name());
    }

    private void reserve(String name) {
        if (!e.names().reserveValue(name)) {
            throw new IllegalArgumentException("graph '" + e.graph().name() + "' already has a value named '" + name
                    + "'");
        }
    }

    // ---- constants ---------------------------------------------------------------------------------------------

    /** A Constant node holding {@code tensor}. */
    public Value constant(Tensor tensor) {
        return e.constant(tensor);
    }

    /** A 1-D int64 constant, the usual form of shapes, axes and indices. */
    public Value constLongs(long... values) {
        return e.constant(Tensor.vectorLong("value", values));
    }

    /** A scalar int64 constant. */
    public Value constLong(long value) {
        return e.constant(Tensor.scalarLong("value", value));
    }

    /** A 1-D float constant. */
    public Value constFloats(float... values) {
        return e.constant(Tensor.ofFloats("value", new long[] {values.length}, values));
    }

    /** A scalar float constant. */
    public Value constFloat(float value) {
        return e.constant(Tensor.scalarFloat("value", value));
    }

    /** A scalar constant of {@code like}'s dtype (float, double, float16, bfloat16, int32, int64, bool). */
    public Value scalarLike(Value like, double value) {
        if (like.dtype() == null) {
            throw new IllegalArgumentException("value '" + like.name() + "' has no known dtype to match");
        }
        return e.constant(Scalars.of("value", like.dtype(), value));
    }

    // ---- elementwise -------------------------------------------------------------------------------------------

    public Value add(Value a, Value b) {
        return e.one("Add", in(a, b));
    }

    public Value sub(Value a, Value b) {
        return e.one("Sub", in(a, b));
    }

    public Value mul(Value a, Value b) {
        return e.one("Mul", in(a, b));
    }

    public Value div(Value a, Value b) {
        return e.one("Div", in(a, b));
    }

    public Value pow(Value base, Value exponent) {
        return e.one("Pow", in(base, exponent));
    }

    /** Integer modulus with the sign of the divisor (ONNX Mod, fmod=0). */
    public Value mod(Value a, Value b) {
        return e.one("Mod", in(a, b));
    }

    /** Floating-point remainder with the sign of the dividend (ONNX Mod, fmod=1). */
    public Value fmod(Value a, Value b) {
        return e.one("Mod", in(a, b), new Attribute.IntAttr("fmod", 1));
    }

    public Value max(Value... xs) {
        return e.one("Max", in(xs));
    }

    public Value min(Value... xs) {
        return e.one("Min", in(xs));
    }

    public Value neg(Value x) {
        return e.one("Neg", in(x));
    }

    public Value abs(Value x) {
        return e.one("Abs", in(x));
    }

    public Value sqrt(Value x) {
        return e.one("Sqrt", in(x));
    }

    public Value exp(Value x) {
        return e.one("Exp", in(x));
    }

    public Value log(Value x) {
        return e.one("Log", in(x));
    }

    public Value tanh(Value x) {
        return e.one("Tanh", in(x));
    }

    public Value sigmoid(Value x) {
        return e.one("Sigmoid", in(x));
    }

    public Value erf(Value x) {
        return e.one("Erf", in(x));
    }

    public Value relu(Value x) {
        return e.one("Relu", in(x));
    }

    public Value sin(Value x) {
        return e.one("Sin", in(x));
    }

    public Value cos(Value x) {
        return e.one("Cos", in(x));
    }

    public Value floor(Value x) {
        return e.one("Floor", in(x));
    }

    /** Exact (erf) Gelu; needs opset 20. */
    public Value gelu(Value x) {
        return e.one("Gelu", in(x));
    }

    /** Gelu with {@code approximate} "none" or "tanh"; needs opset 20. */
    public Value gelu(Value x, String approximate) {
        return e.one("Gelu", in(x), new Attribute.StringAttr("approximate", approximate));
    }

    public Value not(Value x) {
        return e.one("Not", in(x));
    }

    public Value and(Value a, Value b) {
        return e.one("And", in(a, b));
    }

    public Value equal(Value a, Value b) {
        return e.one("Equal", in(a, b));
    }

    public Value less(Value a, Value b) {
        return e.one("Less", in(a, b));
    }

    public Value greater(Value a, Value b) {
        return e.one("Greater", in(a, b));
    }

    /** {@code cond ? x : y}, broadcasting. */
    public Value where(Value cond, Value x, Value y) {
        return e.one("Where", in(cond, x, y));
    }

    /** Clamps to [min, max]; either bound may be null (absent). */
    public Value clip(Value x, Value min, Value max) {
        return e.one("Clip", max == null ? (min == null ? in(x) : in(x, min)) : in(x, min, max));
    }

    public Value cast(Value x, DataType to) {
        return e.one("Cast", in(x), new Attribute.IntAttr("to", to.onnxCode()));
    }

    public Value identity(Value x) {
        return e.one("Identity", in(x));
    }

    public Value softmax(Value x, long axis) {
        return e.one("Softmax", in(x), new Attribute.IntAttr("axis", axis));
    }

    public Value logSoftmax(Value x, long axis) {
        return e.one("LogSoftmax", in(x), new Attribute.IntAttr("axis", axis));
    }

    /** Inference-mode dropout (identity at run time unless training mode is set by a later rewrite). */
    public Value dropout(Value x, float ratio) {
        return e.one("Dropout", in(x, e.constant(Scalars.of("ratio", x.dtype() == null ? DataType.FLOAT
                : x.dtype(), ratio))));
    }

    // ---- linear algebra ----------------------------------------------------------------------------------------

    /** Numpy matmul: batch dims broadcast. */
    public Value matMul(Value a, Value b) {
        return e.one("MatMul", in(a, b));
    }

    /** {@code alpha * op(a) * op(b) + beta * c}; c may be null. */
    public Value gemm(Value a, Value b, Value c, float alpha, float beta, boolean transA, boolean transB) {
        return e.one("Gemm", c == null ? in(a, b) : in(a, b, c), new Attribute.FloatAttr("alpha", alpha),
                new Attribute.FloatAttr("beta", beta), new Attribute.IntAttr("transA", transA ? 1 : 0),
                new Attribute.IntAttr("transB", transB ? 1 : 0));
    }

    /** {@code a * b + c} for 2-D a and b. */
    public Value gemm(Value a, Value b, Value c) {
        return e.one("Gemm", c == null ? in(a, b) : in(a, b, c));
    }

    /** LayerNormalization over dims {@code axis..}; bias may be null. */
    public Value layerNorm(Value x, Value scale, Value bias, long axis, float epsilon) {
        return e.one("LayerNormalization", bias == null ? in(x, scale) : in(x, scale, bias),
                new Attribute.IntAttr("axis", axis), new Attribute.FloatAttr("epsilon", epsilon));
    }

    public Value einsum(String equation, Value... xs) {
        return e.one("Einsum", in(xs), new Attribute.StringAttr("equation", equation));
    }

    /** Upper (or lower) triangle of the last two dims. */
    public Value trilu(Value x, boolean upper) {
        return e.one("Trilu", in(x), new Attribute.IntAttr("upper", upper ? 1 : 0));
    }

    /** Upper (or lower) triangle from diagonal {@code k}. */
    public Value trilu(Value x, boolean upper, long k) {
        return e.one("Trilu", in(x, constLong(k)), new Attribute.IntAttr("upper", upper ? 1 : 0));
    }

    // ---- shapes, indexing, reductions (see ShapeOps) -----------------------------------------------------------

    public Value reshape(Value x, Value shape) {
        return shapes.reshape(x, shape);
    }

    /** Reshape to a constant shape (0 copies a dim, -1 is inferred). */
    public Value reshape(Value x, long... shape) {
        return shapes.reshape(x, constLongs(shape));
    }

    /** Transpose; no perm reverses the dims. */
    public Value transpose(Value x, long... perm) {
        return shapes.transpose(x, perm);
    }

    /** Removes the given size-1 axes (all size-1 axes when none given). */
    public Value squeeze(Value x, long... axes) {
        return shapes.squeeze(x, axes);
    }

    public Value unsqueeze(Value x, long... axes) {
        return shapes.unsqueeze(x, axes);
    }

    public Value concat(long axis, Value... xs) {
        return e.one("Concat", in(xs), new Attribute.IntAttr("axis", axis));
    }

    /** Splits into parts of the given sizes along {@code axis}. */
    public List<Value> split(Value x, long axis, long... sizes) {
        return shapes.split(x, axis, sizes);
    }

    /** Splits into {@code parts} equal parts along {@code axis}. */
    public List<Value> splitEven(Value x, long axis, int parts) {
        return shapes.splitEven(x, axis, parts);
    }

    /** {@code x[starts:ends]} on {@code axes} (null = the first axes), step 1. */
    public Value slice(Value x, long[] starts, long[] ends, long[] axes) {
        return slice(x, starts, ends, axes, null);
    }

    /** {@code x[starts:ends:steps]} on {@code axes}; axes and steps may be null. */
    public Value slice(Value x, long[] starts, long[] ends, long[] axes, long[] steps) {
        return slice(x, constLongs(starts), constLongs(ends), axes == null ? null : constLongs(axes),
                steps == null ? null : constLongs(steps));
    }

    /** Slice with tensor arguments; axes and steps may be null. */
    public Value slice(Value x, Value starts, Value ends, Value axes, Value steps) {
        return shapes.slice(x, starts, ends, axes, steps);
    }

    public Value gather(Value data, Value indices, long axis) {
        return e.one("Gather", in(data, indices), new Attribute.IntAttr("axis", axis));
    }

    public Value gatherElements(Value data, Value indices, long axis) {
        return e.one("GatherElements", in(data, indices), new Attribute.IntAttr("axis", axis));
    }

    public Value scatterND(Value data, Value indices, Value updates) {
        return e.one("ScatterND", in(data, indices, updates));
    }

    /** Broadcasts {@code x} to {@code shape} (an int64 vector). */
    public Value expand(Value x, Value shape) {
        return e.one("Expand", in(x, shape));
    }

    /** The shape of {@code x} as an int64 vector. */
    public Value shape(Value x) {
        return e.one("Shape", in(x));
    }

    /** Dims {@code start..end-1} of the shape of {@code x} (Shape + Slice before opset 15). */
    public Value shape(Value x, long start, long end) {
        if (e.opset() < 15) {
            // Shape's start/end attributes are opset 15; before it, slice the whole shape (same clamping rules).
            return slice(shape(x), new long[] {start}, new long[] {end}, new long[] {0});
        }
        return e.one("Shape", in(x), new Attribute.IntAttr("start", start), new Attribute.IntAttr("end", end));
    }

    /** The element count of {@code x} as an int64 scalar. */
    public Value size(Value x) {
        return e.one("Size", in(x));
    }

    /** {@code [start, start+delta, ...)} below {@code limit}; scalars of one dtype. */
    public Value range(Value start, Value limit, Value delta) {
        return e.one("Range", in(start, limit, delta));
    }

    /** A tensor of {@code shape} filled with the one element of {@code value}. */
    public Value constantOfShape(Value shape, Tensor value) {
        return e.one("ConstantOfShape", in(shape), new Attribute.TensorAttr("value", value));
    }

    public Value reduceMean(Value x, long[] axes, boolean keepDims) {
        return shapes.reduce("ReduceMean", x, axes, keepDims);
    }

    public Value reduceSum(Value x, long[] axes, boolean keepDims) {
        return shapes.reduce("ReduceSum", x, axes, keepDims);
    }

    public Value reduceMax(Value x, long[] axes, boolean keepDims) {
        return shapes.reduce("ReduceMax", x, axes, keepDims);
    }

    // ---- escape hatch ------------------------------------------------------------------------------------------

    /** Any single-output op, checked and typed when it is a default-domain op with a rule in {@link OpSchemas}. */
    public Value op(String domain, String opType, List<Value> inputs, Attribute... attrs) {
        return op(domain, opType, inputs, 1, attrs).get(0);
    }

    /** Any op with {@code outputs} outputs. */
    public List<Value> op(String domain, String opType, List<Value> inputs, int outputs, Attribute... attrs) {
        Node n = e.emit(domain, opType, inputs, Arrays.asList(attrs), outputs);
        return n.outputs();
    }
}
