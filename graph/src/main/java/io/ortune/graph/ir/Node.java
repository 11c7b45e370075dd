package io.ortune.graph.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One operator application. Inputs are {@link Value}s (null for an omitted optional input); outputs are values
 * this node produces. Create nodes through {@link Graph#addNode} so that producers and uses stay linked.
 */
public final class Node {

    private String name;
    private final String domain;
    private final String opType;
    private String overload = "";
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final LinkedHashMap<String, Attribute> attributes = new LinkedHashMap<>();
    private final LinkedHashMap<String, String> metadataProps = new LinkedHashMap<>();
    private String docString = "";
    private Unmodeled unmodeled = Unmodeled.NONE;
    private Graph graph;

    Node(Graph graph, String name, String domain, String opType) {
        this.graph = graph;
        this.name = name == null ? "" : name;
        this.domain = domain == null ? "" : domain;
        this.opType = Objects.requireNonNull(opType, "opType");
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name == null ? "" : name;
    }

    /** Operator domain; "" is the default ONNX domain (also written "ai.onnx"). */
    public String domain() {
        return domain;
    }

    public String opType() {
        return opType;
    }

    public String overload() {
        return overload;
    }

    public void setOverload(String overload) {
        this.overload = overload == null ? "" : overload;
    }

    /** True for op {@code opType} in the default ONNX domain. */
    public boolean is(String type) {
        return opType.equals(type) && (domain.isEmpty() || domain.equals("ai.onnx"));
    }

    public Graph graph() {
        return graph;
    }

    void detachFromGraph() {
        this.graph = null;
    }

    // ---- inputs and outputs ------------------------------------------------------------------------------------

    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public Value input(int i) {
        return i < inputs.size() ? inputs.get(i) : null;
    }

    public int inputCount() {
        return inputs.size();
    }

    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    public Value output(int i) {
        return outputs.get(i);
    }

    public Value output() {
        if (outputs.size() != 1) {
            throw new IllegalStateException("node " + this + " has " + outputs.size() + " outputs, not one");
        }
        return outputs.get(0);
    }

    /** Appends an input (null = omitted optional input). */
    public void addInput(Value v) {
        inputs.add(v);
        if (v != null) {
            v.addUse(this, inputs.size() - 1);
        }
    }

    /** Replaces input {@code i}, keeping uses right. */
    public void setInput(int i, Value v) {
        Value old = inputs.get(i);
        if (old != null) {
            old.removeUse(this, i);
        }
        inputs.set(i, v);
        if (v != null) {
            v.addUse(this, i);
        }
    }

    /** Drops every input link (used when the node is removed). */
    void clearInputs() {
        for (int i = 0; i < inputs.size(); i++) {
            Value v = inputs.get(i);
            if (v != null) {
                v.removeUse(this, i);
            }
        }
        inputs.clear();
    }

    /** Removes trailing inputs so that {@code count} remain. */
    public void truncateInputs(int count) {
        while (inputs.size() > count) {
            int last = inputs.size() - 1;
            Value v = inputs.get(last);
            if (v != null) {
                v.removeUse(this, last);
            }
            inputs.remove(last);
        }
    }

    void addOutput(Value v) {
        if (v.producer() != null) {
            throw new IllegalArgumentException("value '" + v.name() + "' is already produced by "
                    + v.producer());
        }
        outputs.add(v);
        v.setProducer(this, outputs.size() - 1);
    }

    // ---- attributes --------------------------------------------------------------------------------------------

    public Map<String, Attribute> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    public Attribute attribute(String attrName) {
        return attributes.get(attrName);
    }

    public void setAttribute(Attribute a) {
        attributes.put(a.name(), a);
    }

    public void removeAttribute(String attrName) {
        attributes.remove(attrName);
    }

    public long intAttr(String attrName, long defaultValue) {
        Attribute a = attributes.get(attrName);
        if (a == null) {
            return defaultValue;
        }
        if (a instanceof Attribute.IntAttr i) {
            return i.value();
        }
        throw wrongKind(attrName, "int", a);
    }

    public float floatAttr(String attrName, float defaultValue) {
        Attribute a = attributes.get(attrName);
        if (a == null) {
            return defaultValue;
        }
        if (a instanceof Attribute.FloatAttr f) {
            return f.value();
        }
        throw wrongKind(attrName, "float", a);
    }

    public String stringAttr(String attrName, String defaultValue) {
        Attribute a = attributes.get(attrName);
        if (a == null) {
            return defaultValue;
        }
        if (a instanceof Attribute.StringAttr s) {
            return s.value();
        }
        throw wrongKind(attrName, "string", a);
    }

    /** The ints attribute, or null when absent. */
    public long[] intsAttr(String attrName) {
        Attribute a = attributes.get(attrName);
        if (a == null) {
            return null;
        }
        if (a instanceof Attribute.IntsAttr i) {
            return i.toArray();
        }
        throw wrongKind(attrName, "ints", a);
    }

    public Tensor tensorAttr(String attrName) {
        Attribute a = attributes.get(attrName);
        if (a == null) {
            return null;
        }
        if (a instanceof Attribute.TensorAttr t) {
            return t.value();
        }
        throw wrongKind(attrName, "tensor", a);
    }

    /** Every subgraph held in this node's attributes (If branches, Loop/Scan bodies). */
    public List<Graph> subgraphs() {
        List<Graph> out = new ArrayList<>();
        for (Attribute a : attributes.values()) {
            if (a instanceof Attribute.GraphAttr g) {
                out.add(g.value());
            } else if (a instanceof Attribute.GraphsAttr gs) {
                out.addAll(gs.values());
            }
        }
        return out;
    }

    private IllegalStateException wrongKind(String attrName, String expected, Attribute actual) {
        return new IllegalStateException("node " + this + ": attribute '" + attrName + "' is "
                + actual.getClass().getSimpleName() + ", expected " + expected);
    }

    // ---- documentation -----------------------------------------------------------------------------------------

    public String docString() {
        return docString;
    }

    public void setDocString(String docString) {
        this.docString = docString == null ? "" : docString;
    }

    public Map<String, String> metadataProps() {
        return metadataProps;
    }

    public Unmodeled unmodeled() {
        return unmodeled;
    }

    public void setUnmodeled(Unmodeled unmodeled) {
        this.unmodeled = unmodeled == null ? Unmodeled.NONE : unmodeled;
    }

    @Override
    public String toString() {
        String op = domain.isEmpty() ? opType : domain + "::" + opType;
        return name.isEmpty() ? op + "(unnamed)" : op + " '" + name + "'";
    }
}
