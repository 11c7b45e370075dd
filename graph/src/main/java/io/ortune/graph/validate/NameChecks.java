package io.ortune.graph.validate;

import io.ortune.graph.analysis.GraphWalk;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Value names unique across a graph and its subgraphs; node names unique; no initializer named like an output. */
final class NameChecks {

    private NameChecks() {
    }

    static void check(Graph root, List<ValidationIssue> out) {
        Map<String, List<Value>> values = new LinkedHashMap<>();
        Map<Value, Graph> owner = new java.util.IdentityHashMap<>();
        Map<String, List<Node>> nodes = new LinkedHashMap<>();
        for (Graph g : GraphWalk.graphs(root)) {
            for (Value v : GraphWalk.definedIn(g)) {
                if (!v.name().isEmpty() && owner.put(v, g) == null) {
                    values.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(v);
                }
            }
            for (Node n : g.nodes()) {
                if (!n.name().isEmpty()) {
                    nodes.computeIfAbsent(n.name(), k -> new ArrayList<>()).add(n);
                }
            }
        }
        values.forEach((name, vs) -> {
            if (vs.size() > 1) {
                valueClash(name, vs, owner, out);
            }
        });
        nodes.forEach((name, ns) -> {
            if (ns.size() > 1) {
                out.add(new ValidationIssue(ValidationIssue.Kind.DUPLICATE_NODE_NAME, name, "node name '" + name
                        + "' is used by " + ns.size() + " nodes: "
                        + ns.stream().map(Node::opType).collect(Collectors.joining(", "))));
            }
        });
    }

    private static void valueClash(String name, List<Value> vs, Map<Value, Graph> owner, List<ValidationIssue> out) {
        Value init = null;
        Value produced = null;
        for (Value v : vs) {
            if (v.isInitializer() && init == null) {
                init = v;
            } else if (v.producer() != null && produced == null) {
                produced = v;
            }
        }
        if (init != null && produced != null && vs.size() == 2) {
            out.add(new ValidationIssue(ValidationIssue.Kind.INITIALIZER_SHADOWS_NODE_OUTPUT, name, "initializer '"
                    + name + "' has the same name as " + Describe.definition(owner.get(produced), produced)));
            return;
        }
        String defs = vs.stream().map(v -> Describe.definition(owner.get(v), v)).collect(Collectors.joining(", "));
        out.add(new ValidationIssue(ValidationIssue.Kind.DUPLICATE_VALUE_NAME, name, "value name '" + name
                + "' is used by " + vs.size() + " values: " + defs));
    }
}
