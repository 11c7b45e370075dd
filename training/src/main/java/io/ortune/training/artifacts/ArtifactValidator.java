package io.ortune.training.artifacts;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Checks an {@link ArtifactRequest} and resolves its parameters, reporting every problem at once. */
final class ArtifactValidator {

    static final String LAZY_RESET_GRAD = "lazy_reset_grad";
    static final String BUFFER_SUFFIX = "_grad.accumulation.buffer";
    static final String ACCUMULATION_OUT_SUFFIX = "_grad.accumulation.out";

    /**
     * The request's parameters, resolved against the graph.
     *
     * @param trainable trainable names in initializer order
     * @param frozen    frozen names in initializer order
     * @param initial   parameter name → initial value (from its initializer)
     * @param paramType element type of the trainable parameters
     */
    record Resolved(List<String> trainable, List<String> frozen, Map<String, Tensor> initial, DataType paramType) { }

    private ArtifactValidator() {
    }

    static Resolved validate(ArtifactRequest r) {
        List<String> issues = new ArrayList<>();
        Graph g = r.model().graph();
        checkLoss(r, g, issues);

        Set<String> trainableSet = new HashSet<>(r.trainable());
        Set<String> frozenSet = new HashSet<>(r.frozen());
        for (String n : r.trainable()) {
            if (frozenSet.contains(n)) {
                issues.add("'" + n + "' is listed as both trainable and frozen");
            }
        }
        if (r.trainable().isEmpty()) {
            issues.add("no trainable parameters: the optimizer needs at least one");
        }
        Set<String> seen = new HashSet<>();
        for (String n : concat(r.trainable(), r.frozen())) {
            if (!seen.add(n)) {
                issues.add("parameter '" + n + "' is listed twice");
            }
            if (g.initializer(n) == null) {
                issues.add("parameter '" + n + "' is not an initializer of graph '" + g.name() + "'"
                        + suggest(g, n));
            }
            if (n.equals(LAZY_RESET_GRAD) || n.endsWith(BUFFER_SUFFIX) || n.endsWith(ACCUMULATION_OUT_SUFFIX)) {
                issues.add("parameter '" + n + "' has a name ONNX Runtime reserves for gradient accumulation");
            }
        }

        Set<String> names = GraphNames.all(g);
        if (names.contains(LAZY_RESET_GRAD)) {
            issues.add("the graph already has a value named '" + LAZY_RESET_GRAD + "', which the training model adds");
        }
        DataType paramType = null;
        for (String p : r.trainable()) {
            Value init = g.initializer(p);
            Value grad = r.gradients().get(p);
            if (grad == null) {
                issues.add("trainable parameter '" + p + "' has no gradient value");
            } else {
                checkGradient(g, p, init, grad, issues);
            }
            for (String reserved : List.of(p + BUFFER_SUFFIX, p + ACCUMULATION_OUT_SUFFIX)) {
                if (names.contains(reserved)) {
                    issues.add("the graph already has a value named '" + reserved + "', which the training model adds");
                }
            }
            if (init != null) {
                DataType t = init.constant().dtype();
                if (t != DataType.FLOAT) {
                    issues.add("trainable parameter '" + p + "' is " + t.onnxName() + "; ONNX Runtime's CPU "
                            + "optimizers update float32 parameters only (keep other types frozen)");
                } else {
                    paramType = t;
                }
            }
        }
        for (String p : r.gradients().keySet()) {
            if (!trainableSet.contains(p)) {
                issues.add("a gradient is given for '" + p + "', which is not a trainable parameter");
            }
        }
        if (!issues.isEmpty()) {
            throw new ArtifactException("cannot build training artifacts for graph '" + g.name() + "'", issues);
        }

        List<String> trainable = new ArrayList<>();
        List<String> frozen = new ArrayList<>();
        Map<String, Tensor> initial = new LinkedHashMap<>();
        for (Value init : g.initializers().values()) {
            if (trainableSet.contains(init.name())) {
                trainable.add(init.name());
            } else if (frozenSet.contains(init.name())) {
                frozen.add(init.name());
            } else {
                continue;
            }
            initial.put(init.name(), init.constant());
        }
        return new Resolved(trainable, frozen, initial, paramType == null ? DataType.FLOAT : paramType);
    }

    private static void checkLoss(ArtifactRequest r, Graph g, List<String> issues) {
        Node p = r.loss().producer();
        if (p == null || p.graph() != g) {
            issues.add("the loss '" + r.loss().name() + "' is not computed by a node of graph '" + g.name() + "'");
        }
        DataType t = r.loss().dtype();
        if (t != null && !t.isFloatingPoint()) {
            issues.add("the loss '" + r.loss().name() + "' is " + t.onnxName() + ", not a floating-point tensor");
        }
    }

    private static void checkGradient(Graph g, String p, Value init, Value grad, List<String> issues) {
        Node producer = grad.producer();
        boolean inGraph = producer != null ? producer.graph() == g
                : g.inputs().contains(grad) || g.initializer(grad.name()) == grad;
        if (!inGraph) {
            issues.add("the gradient of '" + p + "' ('" + grad.name() + "') is not a value of graph '" + g.name() + "'");
            return;
        }
        if (init == null) {
            return;
        }
        Tensor t = init.constant();
        if (grad.dtype() != null && grad.dtype() != t.dtype()) {
            issues.add("the gradient of '" + p + "' is " + grad.dtype().onnxName() + " but the parameter is "
                    + t.dtype().onnxName());
        }
        Optional<long[]> shape = grad.shape() == null ? Optional.empty() : grad.shape().concrete();
        if (shape.isPresent() && !Arrays.equals(shape.get(), t.dims())) {
            issues.add("the gradient of '" + p + "' has shape " + Arrays.toString(shape.get())
                    + " but the parameter has " + Arrays.toString(t.dims()));
        }
    }

    private static String suggest(Graph g, String name) {
        List<String> close = new ArrayList<>();
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        for (String init : g.initializers().keySet()) {
            String l = init.toLowerCase(java.util.Locale.ROOT);
            boolean related = l.endsWith(lower) || lower.endsWith(l) || l.startsWith(lower) || lower.startsWith(l);
            if (related && Math.min(l.length(), lower.length()) >= 3) {
                close.add(init);
            }
            if (close.size() == 3) {
                break;
            }
        }
        return close.isEmpty() ? " (it has " + g.initializers().size() + " initializers)"
                : " (similar initializers: " + close + ")";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
