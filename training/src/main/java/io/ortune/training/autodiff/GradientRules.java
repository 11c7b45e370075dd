package io.ortune.training.autodiff;

import io.ortune.graph.ir.Node;
import io.ortune.graph.peft.NodeMarks;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The gradient rule of every differentiable op, by op type (default ONNX domain) or {@code domain::opType}.
 * {@link #standard()} has ortune's rules, grouped by op family in package-private classes; {@link #with} adds or
 * replaces one (for a custom op) and returns a new registry.
 *
 * <p>Ops whose outputs never carry a gradient (comparisons, {@code Shape}, {@code Floor}, random generators...)
 * are listed in {@link #nonDifferentiable()}: differentiation stops there without a rule. So does any node marked
 * with {@link NodeMarks#STOP_GRADIENT} (stop-gradient / {@code detach}; see {@link #isStopGradient}).
 */
public final class GradientRules {

    private static final Set<String> NON_DIFFERENTIABLE = Set.of(
            "Shape", "Size", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or",
            "Xor", "ArgMax", "ArgMin", "NonZero", "IsNaN", "IsInf", "Sign", "Floor", "Ceil", "Round",
            "ConstantOfShape", "Range", "OneHot", "RandomNormal", "RandomUniform", "RandomNormalLike",
            "RandomUniformLike", "Bernoulli", "Multinomial", "EyeLike", "Constant", "TopK", "Mod", "BitShift");

    private static final GradientRules STANDARD = new GradientRules(buildStandard());

    private final Map<String, GradientRule> rules;

    private GradientRules(Map<String, GradientRule> rules) {
        this.rules = Collections.unmodifiableMap(rules);
    }

    private static Map<String, GradientRule> buildStandard() {
        Map<String, GradientRule> m = new HashMap<>();
        ArithmeticGrads.register(m);
        UnaryGrads.register(m);
        ActivationGrads.register(m);
        LinearGrads.register(m);
        NormalizationGrads.register(m);
        ShapeGrads.register(m);
        IndexGrads.register(m);
        ReduceGrads.register(m);
        LossGrads.register(m);
        QuantGrads.register(m);
        return m;
    }

    /** ortune's rules. */
    public static GradientRules standard() {
        return STANDARD;
    }

    /** A registry with {@code rule} for {@code opType} of {@code domain} ("" = default ONNX domain) added. */
    public GradientRules with(String domain, String opType, GradientRule rule) {
        Map<String, GradientRule> m = new HashMap<>(rules);
        m.put(key(domain, opType), Objects.requireNonNull(rule, "rule"));
        return new GradientRules(m);
    }

    /** The rule for {@code node}'s op, or null. */
    public GradientRule find(Node node) {
        return rules.get(key(node.domain(), node.opType()));
    }

    /** Whether the op has a rule. */
    public boolean supports(String domain, String opType) {
        return rules.containsKey(key(domain, opType));
    }

    /** The ops with rules, sorted ({@code domain::opType} for other domains). */
    public List<String> supportedOps() {
        return List.copyOf(new TreeSet<>(rules.keySet()));
    }

    /** Default-domain ops whose outputs carry no gradient. */
    public static Set<String> nonDifferentiable() {
        return NON_DIFFERENTIABLE;
    }

    static boolean isNonDifferentiable(Node n) {
        return isStopGradient(n)
                || (n.domain().isEmpty() || n.domain().equals("ai.onnx")) && NON_DIFFERENTIABLE.contains(n.opType());
    }

    /**
     * Whether {@code n} stops gradients: any node whose metadata has {@link NodeMarks#STOP_GRADIENT} = true
     * (in practice an {@code Identity}, as DoRA's detached weight norm). Its output is a constant to the backward
     * pass: nothing upstream of it is differentiated through it.
     */
    public static boolean isStopGradient(Node n) {
        return NodeMarks.isStopGradient(n);
    }

    static String key(String domain, String opType) {
        boolean onnx = domain == null || domain.isEmpty() || domain.equals("ai.onnx");
        return onnx ? opType : domain + "::" + opType;
    }
}
