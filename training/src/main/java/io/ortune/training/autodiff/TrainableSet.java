package io.ortune.training.autodiff;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.ModulePaths;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * Which parameters get gradients. Parameters are the floating-point initializers of the main graph with at least
 * one dimension; select them by exact name, by a regular expression over the name, or by transformer layer index
 * ({@code layers.N.}, {@code h.N.} or {@code layer.N.} in the name). Sets combine with {@link #or} and
 * {@link #except}. Every parameter not selected is frozen. A floating-point graph input may also be selected, by
 * exact name only (to get dLoss/dInput).
 *
 * <pre>{@code
 * TrainableSet.layers(10, 11).or(TrainableSet.names("lm_head.weight"))
 * TrainableSet.all().except(TrainableSet.matching(".*embed.*"))
 * }</pre>
 */
public final class TrainableSet {

    /** The outcome of selecting against a graph: trainable and frozen names, in initializer order. */
    public record Selection(List<String> trainable, List<String> frozen) {
        public Selection {
            trainable = List.copyOf(trainable);
            frozen = List.copyOf(frozen);
        }
    }

    private final String description;
    private final Set<String> exactNames;
    private final BiPredicate<String, Graph> predicate;

    private TrainableSet(String description, Set<String> exactNames, BiPredicate<String, Graph> predicate) {
        this.description = description;
        this.exactNames = exactNames;
        this.predicate = predicate;
    }

    /** Exactly these parameters (or float graph inputs); an unknown name fails when selecting. */
    public static TrainableSet names(String... names) {
        return names(Arrays.asList(names));
    }

    public static TrainableSet names(Collection<String> names) {
        Set<String> set = new LinkedHashSet<>(names);
        return new TrainableSet("names " + set, set, (n, g) -> set.contains(n));
    }

    /** Parameters whose whole name matches {@code regex}. */
    public static TrainableSet matching(String regex) {
        Pattern p = Pattern.compile(regex);
        return new TrainableSet("matching /" + regex + "/", Set.of(), (n, g) -> p.matcher(n).matches());
    }

    /** Parameters of the given transformer layers. */
    public static TrainableSet layers(int... indices) {
        Set<Integer> wanted = new LinkedHashSet<>();
        for (int i : indices) {
            wanted.add(i);
        }
        return new TrainableSet("layers " + wanted, Set.of(), (n, g) -> {
            OptionalInt layer = ModulePaths.layerOf(n);
            return layer.isPresent() && wanted.contains(layer.getAsInt());
        });
    }

    /** Every parameter. */
    public static TrainableSet all() {
        return new TrainableSet("all parameters", Set.of(), (n, g) -> true);
    }

    /** Parameters in this set or in {@code other}. */
    public TrainableSet or(TrainableSet other) {
        Set<String> names = new LinkedHashSet<>(exactNames);
        names.addAll(other.exactNames);
        return new TrainableSet("(" + description + ") or (" + other.description + ")", names,
                (n, g) -> predicate.test(n, g) || other.predicate.test(n, g));
    }

    /** Parameters in this set but not in {@code other}. */
    public TrainableSet except(TrainableSet other) {
        return new TrainableSet("(" + description + ") except (" + other.description + ")", exactNames,
                (n, g) -> predicate.test(n, g) && !other.predicate.test(n, g));
    }

    /**
     * Selects against {@code g}: trainable parameters (and float inputs named exactly), then every other parameter
     * as frozen.
     *
     * @throws IllegalArgumentException when an exact name is neither a parameter nor a float graph input
     */
    public Selection select(Graph g) {
        for (String n : exactNames) {
            Value v = g.initializer(n);
            if (v == null) {
                v = g.inputs().stream().filter(in -> in.name().equals(n)).findFirst().orElse(null);
            }
            if (v == null || v.dtype() == null || !v.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("trainable name '" + n + "' is " + (v == null
                        ? "not an initializer or input of graph '" + g.name() + "'"
                        : "of type " + (v.dtype() == null ? "unknown" : v.dtype().onnxName())
                        + ", not floating point"));
            }
        }
        List<String> trainable = new ArrayList<>();
        List<String> frozen = new ArrayList<>();
        for (Value v : g.inputs()) {
            if (g.initializer(v.name()) != v && exactNames.contains(v.name())) {
                trainable.add(v.name());
            }
        }
        for (Value v : g.initializers().values()) {
            if (exactNames.contains(v.name())) {
                trainable.add(v.name());
            } else if (isParameter(v)) {
                (predicate.test(v.name(), g) ? trainable : frozen).add(v.name());
            }
        }
        return new Selection(trainable, frozen);
    }

    /** A floating-point initializer with at least one dimension. */
    static boolean isParameter(Value init) {
        DataType t = init.dtype();
        return t != null && t.isFloatingPoint() && init.constant() != null && init.constant().rank() > 0;
    }

    @Override
    public String toString() {
        return "TrainableSet[" + description + "]";
    }
}
