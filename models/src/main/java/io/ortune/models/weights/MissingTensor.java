package io.ortune.models.weights;

import java.util.SortedSet;

/** Builds the "no such tensor" error of a {@link Weights} source, naming the closest existing names. */
final class MissingTensor {

    private MissingTensor() {
    }

    /** An error for {@code name} in {@code source}, listing up to five names sharing its longest prefix. */
    static IllegalArgumentException error(String source, String name, SortedSet<String> names) {
        int best = 0;
        for (String n : names) {
            best = Math.max(best, commonPrefix(n, name));
        }
        StringBuilder similar = new StringBuilder();
        int shown = 0;
        for (String n : names) {
            if (shown < 5 && commonPrefix(n, name) == best) {
                similar.append(shown == 0 ? "" : ", ").append('\'').append(n).append('\'');
                shown++;
            }
        }
        return new IllegalArgumentException("no tensor '" + name + "' in " + source + " (" + names.size()
                + " tensors" + (shown == 0 ? "" : "; closest: " + similar) + ")");
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
