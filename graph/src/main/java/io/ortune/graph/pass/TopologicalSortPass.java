package io.ortune.graph.pass;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.analysis.TopologicalSort;
import io.ortune.graph.ir.Model;

/** {@code toposort}: orders nodes (and subgraph nodes) topologically, keeping the existing order where it can. */
public final class TopologicalSortPass implements Pass {

    public static final String NAME = "toposort";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PassResult run(Model model) {
        Model copy = GraphCopier.copy(model);
        if (!TopologicalSort.sort(copy.graph())) {
            return PassResult.unchanged(model);
        }
        return PassResult.changed(copy, "reordered nodes into topological order");
    }
}
