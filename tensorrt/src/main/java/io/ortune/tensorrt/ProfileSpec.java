package io.ortune.tensorrt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One optimization-profile entry for a dynamic input: the smallest, the typical and the largest shape TensorRT
 * must handle. Parsed from {@code --profile input_ids:1x1,4x128,8x512} (name, colon, then min, opt and max shapes,
 * dimensions joined by {@code x}); a rank-1 shape is a single number ({@code lengths:1,4,8}).
 *
 * <pre>{@code
 * ProfileSpec p = ProfileSpec.parse("input_ids:1x1,4x128,8x512");
 * p.max(); // [8, 512]
 * }</pre>
 *
 * @param input the graph input's name
 * @param min   the smallest shape
 * @param opt   the shape TensorRT tunes kernels for
 * @param max   the largest shape
 */
public record ProfileSpec(String input, long[] min, long[] opt, long[] max) {

    /** Checks what holds for any model: same rank in all three shapes, no negative size, min ≤ opt ≤ max. */
    public ProfileSpec {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("a profile needs an input name");
        }
        min = min.clone();
        opt = opt.clone();
        max = max.clone();
        if (min.length != opt.length || opt.length != max.length) {
            throw new IllegalArgumentException("--profile " + input + ": min, opt and max must have the same rank,"
                    + " got " + min.length + ", " + opt.length + " and " + max.length + " dimensions");
        }
        for (int i = 0; i < min.length; i++) {
            if (min[i] < 0) {
                throw new IllegalArgumentException("--profile " + input + ": dimension " + i
                        + " has a negative size " + min[i]);
            }
            if (min[i] > opt[i] || opt[i] > max[i]) {
                throw new IllegalArgumentException("--profile " + input + ": dimension " + i + " needs min <= opt"
                        + " <= max, got " + min[i] + ", " + opt[i] + ", " + max[i]);
            }
        }
    }

    /** Parses {@code name:MINxMIN,OPTxOPT,MAXxMAX}; the message names the flag and the expected form. */
    public static ProfileSpec parse(String text) {
        String t = text == null ? "" : text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw bad(t, "expected NAME:MIN,OPT,MAX");
        }
        String name = t.substring(0, colon);
        String[] shapes = t.substring(colon + 1).split(",", -1);
        if (shapes.length != 3) {
            throw bad(t, "expected three shapes (min,opt,max) after the colon, got " + shapes.length);
        }
        return new ProfileSpec(name, shape(t, shapes[0]), shape(t, shapes[1]), shape(t, shapes[2]));
    }

    private static long[] shape(String whole, String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x", -1);
        long[] dims = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                dims[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                throw bad(whole, "'" + text + "' is not a shape; write sizes joined by x, like 4x128");
            }
        }
        return dims;
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("--profile '" + text + "': " + why
                + " (example: input_ids:1x1,4x128,8x512)");
    }

    public int rank() {
        return min.length;
    }

    @Override
    public long[] min() {
        return min.clone();
    }

    @Override
    public long[] opt() {
        return opt.clone();
    }

    @Override
    public long[] max() {
        return max.clone();
    }

    /** The command-line form, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return input + ":" + join(min) + "," + join(opt) + "," + join(max);
    }

    static String join(long[] dims) {
        List<String> s = new ArrayList<>(dims.length);
        for (long d : dims) {
            s.add(Long.toString(d));
        }
        return String.join("x", s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProfileSpec p && input.equals(p.input) && Arrays.equals(min, p.min)
                && Arrays.equals(opt, p.opt) && Arrays.equals(max, p.max);
    }

    @Override
    public int hashCode() {
        return input.hashCode() * 31 + Arrays.hashCode(max);
    }
}
