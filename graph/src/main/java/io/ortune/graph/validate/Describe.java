package io.ortune.graph.validate;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Value;

/** How messages name things. */
final class Describe {

    private Describe() {
    }

    /** Where a value comes from: {@code output 0 of Add '/Add'}, {@code initializer 'w'}, {@code graph input 'x'}. */
    static String definition(Graph g, Value v) {
        if (v.producer() != null) {
            return "output " + v.producerOutput() + " of " + v.producer();
        }
        if (g.initializers().get(v.name()) == v) {
            return "initializer '" + v.name() + "'";
        }
        return "graph input '" + v.name() + "'";
    }
}
