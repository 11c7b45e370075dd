package io.ortune.tensorrt;

import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks {@code --profile} entries against a model's graph inputs before TensorRT sees them: every listed input
 * exists, ranks match, fixed dimensions are given their own size, every input with a dynamic dimension has a
 * profile (TensorRT refuses to build otherwise), no input is listed twice, and a named dimension shared by
 * several inputs ({@code batch}) gets the same min/opt/max everywhere.
 */
final class ProfileCheck {

    private ProfileCheck() {
    }

    /** What is wrong, one line per problem; empty when the profiles fit the model. */
    static List<String> issues(Graph graph, List<ProfileSpec> profiles) {
        Map<String, Value> inputs = new LinkedHashMap<>();
        for (Value v : graph.inputs()) {
            if (!v.isInitializer()) {
                inputs.put(v.name(), v);
            }
        }
        List<String> issues = new ArrayList<>();
        Map<String, ProfileSpec> byName = new LinkedHashMap<>();
        for (ProfileSpec p : profiles) {
            if (byName.putIfAbsent(p.input(), p) != null) {
                issues.add("--profile " + p.input() + ": the input is listed twice; give one profile per input");
                continue;
            }
            Value v = inputs.get(p.input());
            if (v == null) {
                issues.add("--profile " + p.input() + ": the model has no input of that name; its inputs are "
                        + inputs.keySet());
                continue;
            }
            issues.addAll(shapeIssues(p, v.shape()));
        }
        for (Value v : inputs.values()) {
            if (!byName.containsKey(v.name()) && isDynamic(v.shape())) {
                issues.add("input " + v.name() + " has dynamic shape " + v.shape() + "; add --profile " + v.name()
                        + ":MIN,OPT,MAX (for example " + example(v.shape()) + ")");
            }
        }
        issues.addAll(sharedSymbolIssues(inputs, byName));
        return issues;
    }

    /** True when the input has a dimension that is not a fixed size (or no known rank). */
    static boolean isDynamic(Shape s) {
        return s.concrete().isEmpty();
    }

    private static List<String> shapeIssues(ProfileSpec p, Shape shape) {
        List<String> issues = new ArrayList<>();
        if (!shape.hasRank()) {
            return issues;
        }
        if (shape.rank() != p.rank()) {
            issues.add("--profile " + p.input() + ": gives " + p.rank() + " dimensions but the input has rank "
                    + shape.rank() + " " + shape);
            return issues;
        }
        long[] min = p.min();
        long[] opt = p.opt();
        long[] max = p.max();
        for (int i = 0; i < shape.rank(); i++) {
            if (shape.dim(i) instanceof Dim.Known k
                    && (min[i] != k.size() || opt[i] != k.size() || max[i] != k.size())) {
                issues.add("--profile " + p.input() + ": dimension " + i + " is fixed at " + k.size()
                        + " in the model " + shape + " but the profile gives " + min[i] + "," + opt[i] + ","
                        + max[i]);
            }
        }
        return issues;
    }

    private static List<String> sharedSymbolIssues(Map<String, Value> inputs, Map<String, ProfileSpec> byName) {
        record Seen(String input, long min, long opt, long max) { }
        Map<String, Seen> first = new LinkedHashMap<>();
        List<String> issues = new ArrayList<>();
        for (ProfileSpec p : byName.values()) {
            Value v = inputs.get(p.input());
            if (v == null || !v.shape().hasRank() || v.shape().rank() != p.rank()) {
                continue;
            }
            for (int i = 0; i < p.rank(); i++) {
                if (!(v.shape().dim(i) instanceof Dim.Symbolic s)) {
                    continue;
                }
                Seen now = new Seen(p.input(), p.min()[i], p.opt()[i], p.max()[i]);
                Seen was = first.putIfAbsent(s.symbol(), now);
                if (was != null && (was.min != now.min || was.opt != now.opt || was.max != now.max)) {
                    issues.add("dimension '" + s.symbol() + "' is " + was.min + "," + was.opt + "," + was.max
                            + " in --profile " + was.input + " but " + now.min + "," + now.opt + "," + now.max
                            + " in --profile " + now.input + "; a shared dimension needs the same range");
                }
            }
        }
        return issues;
    }

    private static String example(Shape s) {
        if (!s.hasRank()) {
            return "1,4,8";
        }
        StringBuilder min = new StringBuilder();
        StringBuilder opt = new StringBuilder();
        StringBuilder max = new StringBuilder();
        for (int i = 0; i < s.rank(); i++) {
            String sep = i == 0 ? "" : "x";
            boolean known = s.dim(i) instanceof Dim.Known;
            long k = known ? ((Dim.Known) s.dim(i)).size() : 0;
            min.append(sep).append(known ? k : 1);
            opt.append(sep).append(known ? k : 4);
            max.append(sep).append(known ? k : 8);
        }
        return s.rank() == 0 ? "" : min + "," + opt + "," + max;
    }
}
