package io.ortune.graph.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A value flowing through a graph. Produced by exactly one node output, or a graph input, or an initializer
 * (then {@link #constant()} holds its tensor). It knows its uses; names are labels, never edges.
 */
public final class Value {

    /** One use of a value: input {@code inputIndex} of {@code node}. */
    public record Use(Node node, int inputIndex) { }

    private String name;
    private ValueType type;
    private Node producer;
    private int producerOutput = -1;
    private Tensor constant;
    private String docString = "";
    private Unmodeled unmodeled = Unmodeled.NONE;
    private final List<Use> uses = new ArrayList<>();
    /** The graph whose initializer this is (keeps its name index right on rename), else null. */
    private Graph initializerOf;
    /** Graphs listing this value as an output, once per position. */
    private final List<Graph> outputOf = new ArrayList<>(1);

    public Value(String name, ValueType type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = type;
    }

    public String name() {
        return name;
    }

    /**
     * Renames the value (and its initializer tensor). An initializer is re-keyed in its graph's
     * {@link Graph#initializers()} (see {@link Graph#rename}); callers keep other names unique within a graph.
     *
     * @throws IllegalArgumentException when this is an initializer and its graph has another initializer so named
     */
    public void setName(String name) {
        Objects.requireNonNull(name, "name");
        if (initializerOf != null) {
            initializerOf.rename(this, name);
        } else {
            assignName(name);
        }
    }

    /** Sets the name without touching any index (for {@link Graph#rename}). */
    void assignName(String newName) {
        this.name = newName;
        if (constant != null) {
            constant = constant.withName(newName);
        }
    }

    Graph initializerOf() {
        return initializerOf;
    }

    void setInitializerOf(Graph g) {
        this.initializerOf = g;
    }

    void addOutputOf(Graph g) {
        outputOf.add(g);
    }

    void removeOutputOf(Graph g) {
        outputOf.remove(g);
    }

    /** The declared or inferred type; null when nothing is known. */
    public ValueType type() {
        return type;
    }

    public void setType(ValueType type) {
        this.type = type;
    }

    /** Element type when this is a tensor of known element type, else null. */
    public DataType dtype() {
        if (type instanceof ValueType.TensorType t) {
            return t.elementType();
        }
        if (constant != null) {
            return constant.dtype();
        }
        return null;
    }

    /** Shape when this is a tensor of known shape (constants always know theirs), else null. */
    public Shape shape() {
        if (constant != null) {
            return Shape.ofLongs(constant.dims());
        }
        if (type instanceof ValueType.TensorType t) {
            return t.shape();
        }
        return null;
    }

    public Node producer() {
        return producer;
    }

    public int producerOutput() {
        return producerOutput;
    }

    void setProducer(Node node, int outputIndex) {
        this.producer = node;
        this.producerOutput = outputIndex;
    }

    /** The initializer tensor, or null when this value is not an initializer. */
    public Tensor constant() {
        return constant;
    }

    public boolean isInitializer() {
        return constant != null;
    }

    void setConstant(Tensor tensor) {
        this.constant = tensor;
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String docString) {
        this.docString = docString == null ? "" : docString;
    }

    public Unmodeled unmodeled() {
        return unmodeled;
    }

    public void setUnmodeled(Unmodeled unmodeled) {
        this.unmodeled = unmodeled == null ? Unmodeled.NONE : unmodeled;
    }

    public List<Use> uses() {
        return Collections.unmodifiableList(uses);
    }

    public List<Node> consumers() {
        List<Node> out = new ArrayList<>();
        for (Use u : uses) {
            if (!out.contains(u.node())) {
                out.add(u.node());
            }
        }
        return out;
    }

    void addUse(Node node, int index) {
        uses.add(new Use(node, index));
    }

    void removeUse(Node node, int index) {
        for (int i = 0; i < uses.size(); i++) {
            Use u = uses.get(i);
            if (u.node() == node && u.inputIndex() == index) {
                uses.remove(i);
                return;
            }
        }
    }

    /**
     * Makes every node that reads this value read {@code replacement} instead, and every graph that lists it as an
     * output list {@code replacement} there. A graph output's name is the value's name, so replacing an output
     * changes the graph's output name to {@code replacement}'s unless the caller renames it.
     */
    public void replaceAllUsesWith(Value replacement) {
        Objects.requireNonNull(replacement, "replacement");
        if (replacement == this) {
            return;
        }
        for (Use u : List.copyOf(uses)) {
            u.node().setInput(u.inputIndex(), replacement);
        }
        for (Graph g : List.copyOf(new java.util.LinkedHashSet<>(outputOf))) {
            List<Value> outs = g.outputs();
            for (int i = 0; i < outs.size(); i++) {
                if (outs.get(i) == this) {
                    g.replaceOutput(i, replacement);
                }
            }
        }
    }

    /** Whether some graph lists this value as an output. */
    public boolean isGraphOutput() {
        return !outputOf.isEmpty();
    }

    @Override
    public String toString() {
        return "%" + name + (type == null ? "" : ": " + type);
    }
}
