package io.ortune.graph.build;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The default-domain ops ortune checks and infers types for: the same rules run when {@link GraphBuilder} builds a
 * node, when {@code ModelValidator} checks an existing one, and in the shape-inference pass. An op not listed here
 * is neither checked nor typed (its outputs stay unknown).
 */
public final class OpSchemas {

    private static final Map<String, OpRule> RULES = buildRules();

    /** Ops introduced (in the form ortune emits) after opset 1; the rest are older than opset 13. */
    private static final Map<String, Integer> SINCE = Map.of(
            "Gelu", 20, "LayerNormalization", 17, "Trilu", 14, "Einsum", 12, "Range", 11, "ScatterND", 11,
            "GatherElements", 11);

    private OpSchemas() {
    }

    private static Map<String, OpRule> buildRules() {
        Map<String, OpRule> m = new HashMap<>();
        ElementwiseRules.register(m);
        LinearRules.register(m);
        ShapeRules.register(m);
        IndexRules.register(m);
        ReduceRules.register(m);
        return Collections.unmodifiableMap(m);
    }

    /** True for the default domain ("" or "ai.onnx"). */
    public static boolean isDefaultDomain(String domain) {
        return domain == null || domain.isEmpty() || domain.equals("ai.onnx");
    }

    /** Whether {@code opType} of {@code domain} has a rule here. */
    public static boolean knows(String domain, String opType) {
        return isDefaultDomain(domain) && RULES.containsKey(opType);
    }

    /** The ops with rules, sorted. */
    public static SortedSet<String> knownOps() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(RULES.keySet()));
    }

    /** The first default-domain opset that has {@code opType} (1 for ops older than anything ortune targets). */
    public static int sinceVersion(String opType) {
        return SINCE.getOrDefault(opType, 1);
    }

    /**
     * Checks {@code node} against its op's schema and infers its output types (one per output, null when not
     * derivable). Nodes of other domains or unknown ops get all-null types.
     *
     * @throws OpCheckException naming the node and the problem
     */
    public static List<ValueType> infer(Node node, long opset) {
        if (!knows(node.domain(), node.opType())) {
            return Collections.nCopies(node.outputs().size(), null);
        }
        return infer(node.opType(), node.name(), node.inputs(), node.attributes(), node.outputs().size(), opset);
    }

    static List<ValueType> infer(String opType, String nodeName, List<Value> inputs, Map<String, Attribute> attrs,
                                 int outputCount, long opset) {
        OpRule rule = RULES.get(opType);
        if (rule == null) {
            return Collections.nCopies(outputCount, null);
        }
        return rule.apply(new OpContext(opType, nodeName, inputs, attrs, outputCount, opset));
    }
}
