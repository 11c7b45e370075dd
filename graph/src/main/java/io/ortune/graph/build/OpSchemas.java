package io.ortune.graph.build;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ops ortune checks and infers types for, by domain and op type: the same rules run when {@link GraphBuilder}
 * builds a node, when {@code ModelValidator} checks an existing one, and in the shape-inference pass. An op not
 * listed here is neither checked nor typed (its outputs stay unknown).
 *
 * <p>Built in: the default-domain ops ortune emits, quantization ops ({@code QuantizeLinear},
 * {@code DequantizeLinear}, {@code DynamicQuantizeLinear}, {@code MatMulInteger}) and the {@code com.microsoft}
 * ops {@code MatMulBnb4}, {@code MatMulNBits} and {@code DynamicQuantizeMatMul}. Passes that emit other ops add
 * rules with {@link #register}.
 */
public final class OpSchemas {

    /** The ONNX Runtime contrib domain. */
    public static final String MICROSOFT = "com.microsoft";

    /** Rules by domain ("" for the default one), then op type. */
    private static final Map<String, Map<String, OpRule>> RULES = new ConcurrentHashMap<>();

    /** Ops introduced (in the form ortune emits) after opset 1; the rest are older than opset 13. */
    private static final Map<String, Integer> SINCE = Map.of(
            "Gelu", 20, "LayerNormalization", 17, "Trilu", 14, "Einsum", 12, "Range", 11, "ScatterND", 11,
            "GatherElements", 11);

    static {
        Map<String, OpRule> onnx = new HashMap<>();
        ElementwiseRules.register(onnx);
        LinearRules.register(onnx);
        ShapeRules.register(onnx);
        IndexRules.register(onnx);
        ReduceRules.register(onnx);
        QuantizeRules.register(onnx);
        onnx.forEach((op, rule) -> register("", op, rule));
        Map<String, OpRule> ms = new HashMap<>();
        MicrosoftRules.register(ms);
        ms.forEach((op, rule) -> register(MICROSOFT, op, rule));
    }

    private OpSchemas() {
    }

    /**
     * Adds the rule for {@code opType} of {@code domain} ("" or "ai.onnx" for the default domain). From then on
     * {@link GraphBuilder#op} checks and types such nodes, and validation checks them.
     *
     * @throws IllegalArgumentException when the op already has a rule (rules are never silently replaced)
     */
    public static void register(String domain, String opType, OpRule rule) {
        Objects.requireNonNull(opType, "opType");
        Objects.requireNonNull(rule, "rule");
        String d = normalize(domain);
        OpRule previous = RULES.computeIfAbsent(d, k -> new ConcurrentHashMap<>()).putIfAbsent(opType, rule);
        if (previous != null) {
            throw new IllegalArgumentException("op " + qualified(d, opType) + " already has a schema rule");
        }
    }

    /** True for the default domain ("" or "ai.onnx"). */
    public static boolean isDefaultDomain(String domain) {
        return domain == null || domain.isEmpty() || domain.equals("ai.onnx");
    }

    /** Whether {@code opType} of {@code domain} has a rule here. */
    public static boolean knows(String domain, String opType) {
        return rule(domain, opType) != null;
    }

    /** The default-domain ops with rules, sorted. */
    public static SortedSet<String> knownOps() {
        return knownOps("");
    }

    /** The ops of {@code domain} with rules, sorted. */
    public static SortedSet<String> knownOps(String domain) {
        Map<String, OpRule> m = RULES.getOrDefault(normalize(domain), Map.of());
        return Collections.unmodifiableSortedSet(new TreeSet<>(m.keySet()));
    }

    /** The first default-domain opset that has {@code opType} (1 for ops older than anything ortune targets). */
    public static int sinceVersion(String opType) {
        return SINCE.getOrDefault(opType, 1);
    }

    /**
     * Checks {@code node} against its op's schema and infers its output types (one per output, null when not
     * derivable). Nodes of ops without a rule get all-null types.
     *
     * @param opset the model's default-domain opset
     * @throws OpCheckException naming the node and the problem
     */
    public static List<ValueType> infer(Node node, long opset) {
        return infer(node.domain(), node.opType(), node.name(), node.inputs(), node.attributes(),
                node.outputs().size(), opset);
    }

    static List<ValueType> infer(String domain, String opType, String nodeName, List<Value> inputs,
                                 Map<String, Attribute> attrs, int outputCount, long opset) {
        OpRule rule = rule(domain, opType);
        if (rule == null) {
            return Collections.nCopies(outputCount, null);
        }
        String label = isDefaultDomain(domain) ? opType : qualified(domain, opType);
        List<ValueType> types = rule.apply(new OpContext(label, nodeName, inputs, attrs, outputCount, opset));
        if (types.size() != outputCount) {
            throw new IllegalStateException("the schema rule of " + label + " returned " + types.size()
                    + " output types for node '" + nodeName + "', which has " + outputCount + " outputs");
        }
        return types;
    }

    private static OpRule rule(String domain, String opType) {
        Map<String, OpRule> m = RULES.get(normalize(domain));
        return m == null ? null : m.get(opType);
    }

    private static String normalize(String domain) {
        return isDefaultDomain(domain) ? "" : domain;
    }

    private static String qualified(String domain, String opType) {
        return domain.isEmpty() ? opType : domain + ":" + opType;
    }
}
