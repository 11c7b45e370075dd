package io.ortune.graph.analysis;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.Arrays;
import java.util.List;

/** Test fixtures: graphs assembled node by node, without the builder's checks (to make broken ones too). */
public final class RawGraphs {

    private RawGraphs() {
    }

    /** A model around {@code g} importing default-domain opset 17. */
    public static Model model(Graph g) {
        Model m = new Model(g);
        m.opsetImports().put("", 17L);
        return m;
    }

    public static Value input(Graph g, String name, DataType t, Object... dims) {
        return g.addInput(name, ValueType.tensor(t, dims));
    }

    /** A default-domain node named {@code name} with one output named {@code name + "_out"}. */
    public static Node node(Graph g, String name, String op, Value... inputs) {
        return g.addNode(name, "", op, Arrays.asList(inputs), List.of(name + "_out"), null);
    }

    public static Node node(Graph g, String name, String op, List<Value> inputs, List<Attribute> attrs) {
        return g.addNode(name, "", op, inputs, List.of(name + "_out"), attrs);
    }

    /** Names of the nodes of {@code g}, in order. */
    public static List<String> names(Graph g) {
        return g.nodes().stream().map(Node::name).toList();
    }
}
