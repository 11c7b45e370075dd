package io.ortune.graph.peft;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A set of transformer layers written {@code 0-5}, {@code 1,3} or {@code 0-2,7} (PEFT's {@code layers_to_transform}).
 *
 * @param spec    the text as given
 * @param indices the layers, sorted
 */
public record LayerRange(String spec, SortedSet<Integer> indices) {

    public LayerRange {
        indices = new TreeSet<>(indices);
    }

    /**
     * Parses {@code spec}.
     *
     * @throws IllegalArgumentException naming the bad part, for empty parts, negative or reversed ranges, non-numbers
     */
    public static LayerRange parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty layer list: use ranges like 0-5 or lists like 0,2,4");
        }
        List<Integer> out = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-', 1);
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
        return new LayerRange(spec.trim(), new TreeSet<>(out));
    }

    /** Whether layer {@code layer} is in the set (a module outside any layer never is). */
    public boolean contains(OptionalInt layer) {
        return layer.isPresent() && indices.contains(layer.getAsInt());
    }

    /** The indices as an int array. */
    public int[] toArray() {
        return indices.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        return spec;
    }
}
