package io.ortune.training.trainer;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.LayerRange;
import io.ortune.graph.peft.ModulePaths;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.training.autodiff.TrainableSet;

import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Decides what trains. In order: {@code --trainable REGEX} (parameters whose whole name matches), or
 * {@code --freeze-layers 0-5} (everything but those transformer layers); else the set the model records
 * ({@link PeftMetadata#TRAINABLE}, written by PEFT injection: the adapter tensors, base frozen); else every
 * parameter (full fine-tuning).
 */
public final class Trainables {

    private Trainables() {
    }

    /**
     * The trainable set of {@code model}; at most one of the two flags may be given.
     *
     * @param regex        {@code --trainable}, or null
     * @param freezeLayers {@code --freeze-layers}, or null
     * @throws IllegalArgumentException for both flags, a bad regular expression (naming the flag), layers the model
     *                                  does not have, or a model whose recorded set is empty
     */
    public static TrainableSet of(String regex, String freezeLayers, Model model) {
        boolean hasRegex = regex != null && !regex.isBlank();
        boolean hasFreeze = freezeLayers != null && !freezeLayers.isBlank();
        if (hasRegex && hasFreeze) {
            throw new IllegalArgumentException("give --trainable or --freeze-layers, not both");
        }
        if (hasRegex) {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("--trainable '" + regex + "' is not a valid regular expression: "
                        + e.getDescription() + " near index " + e.getIndex(), e);
            }
            return TrainableSet.matching(regex);
        }
        if (hasFreeze) {
            LayerRange layers = LayerRange.parse(freezeLayers);
            if (model != null) {
                checkLayersExist(layers, model);
            }
            return TrainableSet.all().except(TrainableSet.layers(layers.toArray()));
        }
        if (model != null) {
            Set<String> recorded = PeftMetadata.trainable(model).orElse(null);
            if (recorded != null) {
                if (recorded.isEmpty()) {
                    throw new IllegalArgumentException("the model records an empty trainable set ("
                            + PeftMetadata.TRAINABLE + "); give --trainable or --freeze-layers");
                }
                return TrainableSet.names(recorded);
            }
        }
        return TrainableSet.all();
    }

    /** The same without a model: no recorded set, no layer check. */
    public static TrainableSet of(String regex, String freezeLayers) {
        return of(regex, freezeLayers, null);
    }

    /** Layer indices from {@code 0-5}, {@code 1,3} or {@code 0-2,7}. */
    public static int[] parseLayers(String spec) {
        return LayerRange.parse(spec).toArray();
    }

    private static void checkLayersExist(LayerRange wanted, Model model) {
        SortedSet<Integer> present = new TreeSet<>();
        for (Value v : model.graph().initializers().values()) {
            OptionalInt l = ModulePaths.layerOf(v.name());
            l.ifPresent(present::add);
        }
        if (present.isEmpty()) {
            throw new IllegalArgumentException("--freeze-layers " + wanted + ": the model's parameter names carry no "
                    + "layer numbers (layers.N, h.N, layer.N); use --trainable REGEX");
        }
        SortedSet<Integer> missing = new TreeSet<>(wanted.indices());
        missing.removeAll(present);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("--freeze-layers " + wanted + ": the model has layers " + present.first()
                    + "-" + present.last() + ", not " + missing);
        }
    }
}
