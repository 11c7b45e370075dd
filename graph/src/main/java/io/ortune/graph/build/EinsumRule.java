package io.ortune.graph.build;

import static io.ortune.graph.build.OpContext.tensor;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.ValueType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Einsum output types from the equation: explicit ({@code "bhqd,bhkd->bhqk"}) or implicit (letters used once, in
 * alphabetical order). Equations with an ellipsis give an output of unknown shape.
 */
final class EinsumRule {

    private EinsumRule() {
    }

    static List<ValueType> apply(OpContext c) {
        c.arity(1, Integer.MAX_VALUE);
        int[] all = new int[c.inputCount()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        DataType t = c.sameDtype(all);
        String eq = c.stringAttr("equation", null);
        if (eq == null) {
            throw c.fail("attribute 'equation' is required");
        }
        eq = eq.replace(" ", "");
        if (eq.contains("...")) {
            return c.result(tensor(t, Shape.UNKNOWN_RANK));
        }
        String[] sides = eq.split("->", -1);
        String[] terms = sides[0].split(",", -1);
        if (terms.length != c.inputCount()) {
            throw c.fail("equation '" + eq + "' has " + terms.length + " operands but the node has "
                    + c.inputCount() + " inputs");
        }
        Map<Character, Dim> sizes = new HashMap<>();
        Map<Character, Integer> counts = new TreeMap<>();
        for (int i = 0; i < terms.length; i++) {
            bind(c, i, terms[i], sizes, counts);
        }
        String out = sides.length > 1 ? sides[1] : implicitOutput(counts);
        List<Dim> dims = new ArrayList<>();
        for (char ch : out.toCharArray()) {
            if (!counts.containsKey(ch)) {
                throw c.fail("equation '" + eq + "': output letter '" + ch + "' appears in no operand");
            }
            dims.add(sizes.getOrDefault(ch, Dim.UNKNOWN));
        }
        return c.result(tensor(t, new Shape(dims)));
    }

    private static void bind(OpContext c, int i, String term, Map<Character, Dim> sizes,
                             Map<Character, Integer> counts) {
        Shape s = c.shape(i);
        if (s.hasRank() && s.rank() != term.length()) {
            throw c.fail("operand '" + term + "' has " + term.length() + " letters but input " + i + " has shape "
                    + s);
        }
        for (int k = 0; k < term.length(); k++) {
            char ch = term.charAt(k);
            counts.merge(ch, 1, Integer::sum);
            Dim d = s.hasRank() ? s.dim(k) : Dim.UNKNOWN;
            Dim prev = sizes.get(ch);
            if (prev == null) {
                sizes.put(ch, d);
            } else if (Dims.conflict(prev, d) && !Dims.isOne(prev) && !Dims.isOne(d)) {
                throw c.fail("letter '" + ch + "' has size " + prev + " in one operand and " + d + " in input " + i);
            } else {
                sizes.put(ch, Dims.isOne(prev) ? d : Dims.merge(prev, d));
            }
        }
    }

    private static String implicitOutput(Map<Character, Integer> counts) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((ch, n) -> {
            if (n == 1) {
                sb.append(ch);
            }
        });
        return sb.toString();
    }
}
