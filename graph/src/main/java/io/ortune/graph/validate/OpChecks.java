package io.ortune.graph.validate;

import io.ortune.graph.analysis.GraphWalk;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.build.OpCheckException;
import io.ortune.graph.build.OpSchemas;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every node's domain is imported, at a version that has its op; known ops pass their schema checks. */
final class OpChecks {

    private OpChecks() {
    }

    static void check(Model model, List<ValidationIssue> out) {
        Map<String, List<Node>> unimported = new LinkedHashMap<>();
        long opset = model.opsetVersion("");
        long checkOpset = opset < 0 ? GraphBuilder.DEFAULT_OPSET : opset;
        for (Graph g : GraphWalk.graphs(model.graph())) {
            for (Node n : g.nodes()) {
                String domain = OpSchemas.isDefaultDomain(n.domain()) ? "" : n.domain();
                if (model.opsetVersion(domain) < 0) {
                    unimported.computeIfAbsent(domain, k -> new ArrayList<>()).add(n);
                    continue;
                }
                int since = OpSchemas.sinceVersion(n.opType());
                if (domain.isEmpty() && OpSchemas.knows(domain, n.opType()) && opset < since) {
                    out.add(new ValidationIssue(ValidationIssue.Kind.OPSET_TOO_OLD, n.name(), "node " + n + " needs "
                            + "opset " + since + " of the default domain; the model imports " + opset));
                }
                schema(n, checkOpset, out);
            }
        }
        unimported.forEach((domain, nodes) -> out.add(missingImport(domain, nodes)));
    }

    private static void schema(Node n, long opset, List<ValidationIssue> out) {
        try {
            OpSchemas.infer(n, opset);
        } catch (OpCheckException e) {
            out.add(new ValidationIssue(ValidationIssue.Kind.OP_CHECK, n.name(), "node " + e.getMessage()));
        } catch (RuntimeException e) {
            out.add(new ValidationIssue(ValidationIssue.Kind.OP_CHECK, n.name(), "node " + n + " could not be "
                    + "checked: " + e));
        }
    }

    private static ValidationIssue missingImport(String domain, List<Node> nodes) {
        Node first = nodes.get(0);
        String more = nodes.size() > 1 ? " (and " + (nodes.size() - 1) + " more nodes)" : "";
        String name = domain.isEmpty() ? "the default domain ''" : "domain '" + domain + "'";
        return new ValidationIssue(ValidationIssue.Kind.MISSING_OPSET_IMPORT, first.name(), "node " + first + more
                + " uses " + name + ", which the model does not import (add an opset import for it)");
    }
}
