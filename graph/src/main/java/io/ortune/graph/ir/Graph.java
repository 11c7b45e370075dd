package io.ortune.graph.ir;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A computation graph: inputs, initializers (constant values), nodes in order, outputs, and the extra type
 * annotations ONNX calls {@code value_info}. A subgraph (If/Loop/Scan body) has a {@link #parent()} and may read
 * values of enclosing graphs directly.
 */
public final class Graph {

    private String name;
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final LinkedHashMap<String, Value> initializers = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Value> valueInfos = new ArrayList<>();
    private final LinkedHashMap<String, String> metadataProps = new LinkedHashMap<>();
    private String docString = "";
    private Unmodeled unmodeled = Unmodeled.NONE;
    private Graph parent;

    public Graph(String name) {
        this.name = name == null ? "" : name;
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name == null ? "" : name;
    }

    /** The enclosing graph of a subgraph; null for a model's main graph. */
    public Graph parent() {
        return parent;
    }

    public void setParent(Graph parent) {
        this.parent = parent;
    }

    // ---- inputs, outputs, initializers -------------------------------------------------------------------------

    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public Value addInput(String inputName, ValueType type) {
        Value v = new Value(inputName, type);
        inputs.add(v);
        return v;
    }

    /** Adds an existing unproduced value (for example an initializer also listed as an input, as IR &lt; 4 did). */
    public void addInput(Value v) {
        inputs.add(v);
    }

    public void removeInput(Value v) {
        inputs.remove(v);
    }

    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    public void addOutput(Value v) {
        outputs.add(Objects.requireNonNull(v));
        v.addOutputOf(this);
    }

    public void replaceOutput(int index, Value v) {
        Objects.requireNonNull(v);
        Value old = outputs.set(index, v);
        old.removeOutputOf(this);
        v.addOutputOf(this);
    }

    public void removeOutput(Value v) {
        if (outputs.remove(v)) {
            v.removeOutputOf(this);
        }
    }

    public void clearOutputs() {
        for (Value v : outputs) {
            v.removeOutputOf(this);
        }
        outputs.clear();
    }

    /** Initializers by name, in file order. */
    public Map<String, Value> initializers() {
        return Collections.unmodifiableMap(initializers);
    }

    public Value initializer(String initName) {
        return initializers.get(initName);
    }

    /** Adds a constant value named after the tensor. */
    public Value addInitializer(Tensor tensor) {
        if (initializers.containsKey(tensor.name())) {
            throw new IllegalArgumentException("graph '" + name + "' already has an initializer named '"
                    + tensor.name() + "'");
        }
        Value v = new Value(tensor.name(), ValueType.tensor(tensor.dtype(), Shape.ofLongs(tensor.dims())));
        v.setConstant(tensor);
        v.setInitializerOf(this);
        initializers.put(tensor.name(), v);
        return v;
    }

    /**
     * Renames {@code v}, keeping the initializer index right when it is one of this graph's initializers (its
     * place in file order is kept). {@link Value#setName} routes here for initializers.
     *
     * @throws IllegalArgumentException when another initializer of this graph already has {@code newName}
     */
    public void rename(Value v, String newName) {
        Objects.requireNonNull(newName, "newName");
        Graph owner = v.initializerOf();
        if (owner != null && owner != this) {
            owner.rename(v, newName);
            return;
        }
        if (owner == null) {
            v.assignName(newName);
            return;
        }
        if (newName.equals(v.name())) {
            return;
        }
        Value clash = initializers.get(newName);
        if (clash != null) {
            throw new IllegalArgumentException("cannot rename initializer '" + v.name() + "' to '" + newName
                    + "': graph '" + name + "' already has an initializer of that name");
        }
        List<Value> order = new ArrayList<>(initializers.values());
        v.assignName(newName);
        initializers.clear();
        for (Value i : order) {
            initializers.put(i.name(), i);
        }
    }

    /** Replaces the tensor of an existing initializer in place (all uses keep reading it). */
    public void setInitializerTensor(Value init, Tensor tensor) {
        if (initializers.get(init.name()) != init) {
            throw new IllegalArgumentException("'" + init.name() + "' is not an initializer of graph '" + name + "'");
        }
        init.setConstant(tensor.withName(init.name()));
        init.setType(ValueType.tensor(tensor.dtype(), Shape.ofLongs(tensor.dims())));
    }

    public void removeInitializer(Value v) {
        if (initializers.get(v.name()) == v) {
            initializers.remove(v.name());
        }
        v.setConstant(null);
        if (v.initializerOf() == this) {
            v.setInitializerOf(null);
        }
    }

    /** Re-keys the initializer map (renames keep it right by themselves; kept for callers that still call it). */
    public void reindexInitializers() {
        List<Value> vals = new ArrayList<>(initializers.values());
        initializers.clear();
        for (Value v : vals) {
            initializers.put(v.name(), v);
        }
    }

    // ---- nodes -------------------------------------------------------------------------------------------------

    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /**
     * Appends a node reading {@code nodeInputs} (nulls for omitted optionals) and producing fresh values named
     * {@code outputNames} ("" for an omitted optional output).
     */
    public Node addNode(String nodeName, String domain, String opType, List<Value> nodeInputs,
                        List<String> outputNames, Collection<Attribute> attrs) {
        Node n = newNode(nodeName, domain, opType, nodeInputs, outputNames, attrs);
        nodes.add(n);
        return n;
    }

    /** Like {@link #addNode} but inserts at {@code index} in the node list. */
    public Node insertNode(int index, String nodeName, String domain, String opType, List<Value> nodeInputs,
                           List<String> outputNames, Collection<Attribute> attrs) {
        Node n = newNode(nodeName, domain, opType, nodeInputs, outputNames, attrs);
        nodes.add(index, n);
        return n;
    }

    private Node newNode(String nodeName, String domain, String opType, List<Value> nodeInputs,
                         List<String> outputNames, Collection<Attribute> attrs) {
        Node n = new Node(this, nodeName, domain, opType);
        for (Value v : nodeInputs) {
            n.addInput(v);
        }
        for (String out : outputNames) {
            n.addOutput(new Value(out, null));
        }
        if (attrs != null) {
            for (Attribute a : attrs) {
                n.setAttribute(a);
            }
        }
        return n;
    }

    /** Removes a node, unlinking its inputs. Its outputs must no longer be used (check with {@link Value#uses}). */
    public void removeNode(Node n) {
        if (!nodes.remove(n)) {
            throw new IllegalArgumentException(n + " is not in graph '" + name + "'");
        }
        n.clearInputs();
        n.detachFromGraph();
    }

    /** Replaces the node list with the same nodes in a new order (see topological sort). */
    public void reorderNodes(List<Node> order) {
        if (order.size() != nodes.size() || !new java.util.HashSet<>(order).equals(new java.util.HashSet<>(nodes))) {
            throw new IllegalArgumentException("reorderNodes needs a permutation of the graph's nodes");
        }
        nodes.clear();
        nodes.addAll(order);
    }

    public int indexOf(Node n) {
        return nodes.indexOf(n);
    }

    // ---- value info, docs --------------------------------------------------------------------------------------

    /** Values that carry a {@code value_info} type annotation, in file order. */
    public List<Value> valueInfos() {
        return valueInfos;
    }

    public Map<String, String> metadataProps() {
        return metadataProps;
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

    @Override
    public String toString() {
        return "graph '" + name + "' (" + inputs.size() + " inputs, " + initializers.size() + " initializers, "
                + nodes.size() + " nodes, " + outputs.size() + " outputs)";
    }
}
