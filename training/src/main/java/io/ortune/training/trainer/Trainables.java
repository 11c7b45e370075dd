package io.ortune.training.trainer;

import io.ortune.training.autodiff.TrainableSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the trainable-parameter flags: everything (full fine-tuning), a regular expression over parameter names
 * ({@code --trainable}), or everything but some transformer layers ({@code --freeze-layers 0-5}, also {@code 0,2,4}
 * or {@code 0-2,7}).
 */
public final class Trainables {

    private Trainables() {
    }

    /**
     * The trainable set; at most one of the two may be given.
     *
     * @param regex        parameters whose whole name matches are trained, or null
     * @param freezeLayers layer ranges to freeze, or null
     */
    public static TrainableSet of(String regex, String freezeLayers) {
        boolean hasRegex = regex != null && !regex.isBlank();
        boolean hasFreeze = freezeLayers != null && !freezeLayers.isBlank();
        if (hasRegex && hasFreeze) {
            throw new IllegalArgumentException("give --trainable or --freeze-layers, not both");
        }
        if (hasRegex) {
            return TrainableSet.matching(regex);
        }
        if (hasFreeze) {
            return TrainableSet.all().except(TrainableSet.layers(parseLayers(freezeLayers)));
        }
        return TrainableSet.all();
    }

    /** Layer indices from {@code 0-5}, {@code 1,3} or {@code 0-2,7}. */
    public static int[] parseLayers(String spec) {
        List<Integer> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-');
                if (dash > 0) {
                    int from = Integer.parseInt(p.substring(0, dash).trim());
                    int to = Integer.parseInt(p.substring(dash + 1).trim());
                    if (from > to || from < 0) {
                        throw new IllegalArgumentException("bad layer range '" + p + "' in '" + spec + "'");
                    }
                    for (int i = from; i <= to; i++) {
                        out.add(i);
                    }
                } else {
                    int i = Integer.parseInt(p);
                    if (i < 0) {
                        throw new IllegalArgumentException("negative layer " + i + " in '" + spec + "'");
                    }
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cannot read layers '" + spec + "': use ranges like 0-5 or lists "
                        + "like 0,2,4", e);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
