package io.ortune.graph.build;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The part of {@link GraphBuilder} that names, checks, types and appends nodes. */
final class Emitter {

    private final Model model;
    private final Graph graph;
    private final NameScope names;
    private final long opset;
    private final Set<Value> interfaceValues = Collections.newSetFromMap(new IdentityHashMap<>());

    Emitter(Model model, NameScope names, long opset) {
        this.model = model;
        this.graph = model.graph();
        this.names = names;
        this.opset = opset;
    }

    Model model() {
        return model;
    }

    Graph graph() {
        return graph;
    }

    NameScope names() {
        return names;
    }

    long opset() {
        return opset;
    }

    /** Appends a checked, typed node; attributes given as null are skipped. */
    Node emit(String domain, String opType, List<Value> inputs, List<Attribute> attrs, int outputs) {
        boolean onnx = OpSchemas.isDefaultDomain(domain);
        if (onnx) {
            requireOpset(opType);
        } else {
            model.opsetImports().putIfAbsent(domain, 1L);
        }
        String nodeName = names.nodeName(opType);
        checkInputsBelong(opType, nodeName, inputs);
        Map<String, Attribute> attrMap = attributes(opType, nodeName, attrs);
        List<ValueType> types = OpSchemas.infer(domain, opType, nodeName, inputs, attrMap, outputs, opset);
        List<String> outNames = new ArrayList<>(outputs);
        for (int i = 0; i < outputs; i++) {
            outNames.add(names.outputName(nodeName, i));
        }
        Node n = graph.addNode(nodeName, onnx ? "" : domain, opType, inputs, outNames, attrMap.values());
        for (int i = 0; i < outputs; i++) {
            n.output(i).setType(types.get(i));
        }
        return n;
    }

    /** A single-output default-domain op. */
    Value one(String opType, List<Value> inputs, Attribute... attrs) {
        return emit("", opType, inputs, Arrays.asList(attrs), 1).output();
    }

    /** Inputs as a list that may hold nulls (omitted optional inputs). */
    static List<Value> in(Value... values) {
        return Arrays.asList(values);
    }

    Value constant(Tensor t) {
        return one("Constant", List.of(), new Attribute.TensorAttr("value", t));
    }

    private void requireOpset(String opType) {
        int since = OpSchemas.sinceVersion(opType);
        if (opset < since) {
            throw new IllegalStateException(opType + " needs opset " + since + " of the default domain, but this "
                    + "builder targets opset " + opset + "; create it with GraphBuilder.create(name, " + since
                    + ") (the builder never raises the opset itself: that would change ops already emitted)");
        }
    }

    private Map<String, Attribute> attributes(String opType, String nodeName, List<Attribute> attrs) {
        Map<String, Attribute> m = new LinkedHashMap<>();
        for (Attribute a : attrs) {
            if (a != null && m.put(a.name(), a) != null) {
                throw new OpCheckException(opType, nodeName, "attribute '" + a.name() + "' is given twice");
            }
        }
        return m;
    }

    private void checkInputsBelong(String opType, String nodeName, List<Value> inputs) {
        for (int i = 0; i < inputs.size(); i++) {
            Value v = inputs.get(i);
            if (v != null && !belongs(v)) {
                throw new OpCheckException(opType, nodeName, "input " + i + " '" + v.name() + "' is not a value of "
                        + "graph '" + graph.name() + "' (made by another builder, or its node was removed)");
            }
        }
    }

    private boolean belongs(Value v) {
        if (v.producer() != null) {
            return v.producer().graph() == graph;
        }
        if (interfaceValues.contains(v)) {
            return true;
        }
        if (graph.initializers().get(v.name()) == v || graph.inputs().contains(v)) {
            interfaceValues.add(v);
            return true;
        }
        return false;
    }
}
