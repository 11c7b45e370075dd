package io.ortune.graph.peft;

import io.ortune.graph.analysis.ConstantValues;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Finds the self-attentions of a graph: {@code Softmax(MatMul(q, kᵀ) · scale + mask) · v}, where the scale is a Mul
 * or Div by a constant (or absent) and the Softmax runs over the last axis. Recognised key paths:
 * <ul>
 *   <li>{@code Transpose(k, perm=[0,1,3,2])} with k {@code [batch, heads, seq, dim]} (ortune's builders), optionally
 *       behind Hugging Face's grouped-query {@code repeat_kv} ({@code Reshape(Expand(Unsqueeze(k, 2)))}), which is
 *       looked through so that k has the key/value heads;</li>
 *   <li>{@code Transpose(k, perm=[0,2,3,1])} with k {@code [batch, seq, heads, dim]} (PyTorch's BERT export).</li>
 * </ul>
 * Values are the {@code [batch, heads, seq, dim]} right operand of the probability product, again looking through
 * a repeat. Heads and head size come from static shapes, else from the constant tail of the Reshape that split the
 * heads.
 */
public final class AttentionMatcher {

    private AttentionMatcher() {
    }

    /** The attentions of {@code g}'s own nodes, by layer (then graph order). */
    public static List<AttentionSite> find(Graph g) {
        List<AttentionSite> out = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n.is("Softmax")) {
                match(n).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparingInt(s -> s.layer().orElse(Integer.MAX_VALUE)));
        return out;
    }

    private static Optional<AttentionSite> match(Node softmax) {
        long axis = softmax.intAttr("axis", -1);
        Node add = softmax.input(0).producer();
        if (add == null || !add.is("Add")) {
            return Optional.empty();
        }
        for (int side = 0; side < 2; side++) {
            Node scores = scoresBehind(add.input(side));
            if (scores == null) {
                continue;
            }
            Value mask = add.input(1 - side);
            Node mix = single(softmax.output(), "MatMul");
            if (mix == null || mix.input(0) != softmax.output() || !lastAxis(axis, softmax.input(0), mask)) {
                return Optional.empty();
            }
            AttentionSite.Operand key = keyOperand(scores);
            AttentionSite.Operand value = valueOperand(mix);
            if (key == null || value == null) {
                return Optional.empty();
            }
            long[] hd = heads(key);
            if (hd == null) {
                hd = heads(value);
            }
            if (hd == null) {
                throw new IllegalArgumentException("attention at " + scores + ": cannot tell the number of key/value "
                        + "heads and the head size (no static shape on '" + key.tensor().name() + "' and no constant "
                        + "head split)");
            }
            String module = ModulePaths.fromNodeName(scores.name()).orElse("node:" + scores.name());
            OptionalInt layer = ModulePaths.layerOf(module);
            return Optional.of(new AttentionSite(module, layer, scores, mix, add, mask, key, value, hd[0], hd[1]));
        }
        return Optional.empty();
    }

    /** The score MatMul behind {@code v}, through one Mul or Div by a constant. */
    private static Node scoresBehind(Value v) {
        Node p = v.producer();
        if (p != null && (p.is("Mul") || p.is("Div")) && ConstantValues.of(p.input(1)) != null) {
            p = p.input(0).producer();
        }
        if (p != null && p.is("MatMul") && !p.input(1).isInitializer() && !p.input(0).isInitializer()) {
            return p;
        }
        return null;
    }

    private static boolean lastAxis(long axis, Value scores, Value mask) {
        if (axis == -1) {
            return true;
        }
        Shape s = scores.shape() != null && scores.shape().hasRank() ? scores.shape() : mask.shape();
        return s != null && s.hasRank() ? axis == s.rank() - 1 : axis == 3;
    }

    private static AttentionSite.Operand keyOperand(Node scores) {
        Node t = scores.input(1).producer();
        if (t == null || !t.is("Transpose")) {
            return null;
        }
        long[] perm = t.intsAttr("perm");
        if (Arrays.equals(perm, new long[] {0, 1, 3, 2})) {
            return throughRepeat(t.input(0), t, 0);
        }
        if (Arrays.equals(perm, new long[] {0, 2, 3, 1})) {
            return new AttentionSite.Operand(t.input(0), AttentionSite.Layout.SEQUENCE_FIRST, t, 0);
        }
        return null;
    }

    private static AttentionSite.Operand valueOperand(Node mix) {
        return throughRepeat(mix.input(1), mix, 1);
    }

    /** {@code v} read by input {@code index} of {@code reader}, or, behind a grouped-query repeat, the repeated kv. */
    private static AttentionSite.Operand throughRepeat(Value v, Node reader, int index) {
        Node reshape = v.producer();
        if (reshape != null && reshape.is("Reshape")) {
            Node expand = reshape.input(0).producer();
            if (expand != null && expand.is("Expand")) {
                Node unsq = expand.input(0).producer();
                if (unsq != null && unsq.is("Unsqueeze")) {
                    return new AttentionSite.Operand(unsq.input(0), AttentionSite.Layout.HEADS_FIRST, unsq, 0);
                }
            }
        }
        return new AttentionSite.Operand(v, AttentionSite.Layout.HEADS_FIRST, reader, index);
    }

    /** [kv heads, head dim] from the operand's static shape or from the Reshape that split the heads. */
    private static long[] heads(AttentionSite.Operand op) {
        boolean headsFirst = op.layout() == AttentionSite.Layout.HEADS_FIRST;
        Shape s = op.tensor().shape();
        if (s != null && s.hasRank() && s.rank() == 4) {
            int h = headsFirst ? 1 : 2;
            if (s.dim(h).isKnown() && s.dim(3).isKnown()) {
                return new long[] {size(s, h), size(s, 3)};
            }
        }
        Value split = op.tensor();
        Node p = split.producer();
        if (headsFirst && p != null && p.is("Transpose")
                && Arrays.equals(p.intsAttr("perm"), new long[] {0, 2, 1, 3})) {
            split = p.input(0);
            p = split.producer();
        }
        if (p == null || !p.is("Reshape")) {
            return null;
        }
        return constantTail(p.input(1));
    }

    /** The last two entries of a Reshape's target shape when they are constants. */
    private static long[] constantTail(Value shape) {
        Tensor whole = ConstantValues.of(shape);
        if (whole != null) {
            long[] v = ConstantValues.longs(whole);
            return v != null && v.length == 4 && v[2] > 0 && v[3] > 0 ? new long[] {v[2], v[3]} : null;
        }
        Node concat = shape.producer();
        if (concat == null || !concat.is("Concat")) {
            return null;
        }
        List<Long> tail = new ArrayList<>();
        for (int i = concat.inputCount() - 1; i >= 0 && tail.size() < 2; i--) {
            Tensor t = ConstantValues.of(concat.input(i));
            long[] v = t == null ? null : ConstantValues.longs(t);
            if (v == null) {
                break;
            }
            for (int j = v.length - 1; j >= 0; j--) {
                tail.add(0, v[j]);
            }
        }
        if (tail.size() < 2) {
            return null;
        }
        long h = tail.get(tail.size() - 2);
        long d = tail.get(tail.size() - 1);
        return h > 0 && d > 0 ? new long[] {h, d} : null;
    }

    private static long size(Shape s, int i) {
        return ((io.ortune.graph.ir.Dim.Known) s.dim(i)).size();
    }

    private static Node single(Value v, String op) {
        List<Node> c = v.consumers();
        return c.size() == 1 && c.get(0).is(op) ? c.get(0) : null;
    }
}
