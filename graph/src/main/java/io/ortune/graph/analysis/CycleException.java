package io.ortune.graph.analysis;

import io.ortune.graph.ir.Node;

import java.util.List;
import java.util.stream.Collectors;

/** A graph whose nodes cannot be ordered because some depend on each other; names the nodes of one cycle. */
public final class CycleException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient List<Node> cycle;
    private final int unordered;

    public CycleException(String graphName, List<Node> cycle, int unordered) {
        super("graph '" + graphName + "' has a cycle: " + describe(cycle) + " (" + unordered
                + " nodes cannot be ordered)");
        this.cycle = List.copyOf(cycle);
        this.unordered = unordered;
    }

    private static String describe(List<Node> cycle) {
        String path = cycle.stream().map(Node::toString).collect(Collectors.joining(" -> "));
        return cycle.isEmpty() ? "" : path + " -> " + cycle.get(0);
    }

    /** The nodes of one cycle, each feeding the next, the last feeding the first. */
    public List<Node> cycle() {
        return cycle;
    }

    /** How many nodes are on or after a cycle. */
    public int unordered() {
        return unordered;
    }
}
