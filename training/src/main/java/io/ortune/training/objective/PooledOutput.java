package io.ortune.training.objective;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.LinearMatcher;
import io.ortune.graph.peft.LinearSite;

import java.util.List;
import java.util.Optional;

/**
 * Finds a model's final hidden states and pools them into one vector per row, in the graph.
 *
 * <p>Decoders: the hidden states are the input of the output head (the {@link LinearSite#outputHead()} linear that
 * makes {@code logits}), i.e. the states after the final norm, and pooling takes each row's last real token.
 * Encoders: the hidden states are the {@code last_hidden_state} output (or the only float output of rank 3) and
 * pooling is the mean over the attention mask.
 */
final class PooledOutput {

    /** The last hidden state output of an encoder export. */
    static final String LAST_HIDDEN_STATE = "last_hidden_state";

    /**
     * Pooled states.
     *
     * @param pooled  float [batch, hidden]
     * @param hidden  the hidden size
     * @param pooling the pooling used
     * @param source  where the hidden states came from, for messages
     */
    record Pooled(Value pooled, long hidden, Pooling pooling, String source) { }

    private PooledOutput() {
    }

    /** Pools {@code m}'s hidden states with its {@code attention_mask} input, adding nodes through {@code b}. */
    static Pooled pool(GraphBuilder b, Model m, Pooling requested) {
        Value mask = m.graph().inputs().stream().filter(v -> v.name().equals("attention_mask")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("model '" + m.graph().name() + "' has no "
                        + "'attention_mask' input (inputs: " + m.graph().inputs().stream().map(Value::name).toList()
                        + "); pooling needs it to tell real tokens from padding"));
        Optional<LinearSite> head = LinearMatcher.find(m.graph()).sites().stream().filter(LinearSite::outputHead)
                .filter(s -> m.graph().outputs().contains(s.output())).findFirst();
        Value states;
        String source;
        if (head.isPresent()) {
            states = head.get().input();
            source = "input of output head '" + head.get().module() + "'";
        } else {
            states = encoderOutput(m);
            source = "output '" + states.name() + "'";
        }
        Pooling pooling = requested == Pooling.AUTO ? (head.isPresent() ? Pooling.LAST_TOKEN : Pooling.MEAN)
                : requested;
        long hidden = hiddenSize(states, m, source);
        try (GraphBuilder.Scope scope = b.scope("pooler")) {
            Value maskF = b.cast(mask, DataType.FLOAT);
            Value weights = pooling == Pooling.MEAN ? maskF : lastTokenWeights(b, maskF);
            Value summed = b.reduceSum(b.mul(states, b.unsqueeze(weights, 2)), new long[] {1}, false);
            Value pooled = summed;
            if (pooling == Pooling.MEAN) {
                Value count = b.reduceSum(maskF, new long[] {1}, true);
                pooled = b.div(summed, b.max(count, b.constFloat(1e-9f)));
            }
            return new Pooled(pooled, hidden, pooling, source);
        }
    }

    /** One-hot over each row's last position with mask 1: {@code mask[t] · (1 − mask[t+1])} (right padding). */
    private static Value lastTokenWeights(GraphBuilder b, Value maskF) {
        Value rest = b.slice(maskF, new long[] {1}, new long[] {Long.MAX_VALUE}, new long[] {1});
        Value zeros = b.mul(b.slice(maskF, new long[] {0}, new long[] {1}, new long[] {1}), b.constFloat(0f));
        Value next = b.concat(1, rest, zeros);
        return b.mul(maskF, b.sub(b.constFloat(1f), next));
    }

    private static Value encoderOutput(Model m) {
        List<Value> outs = m.graph().outputs();
        for (Value v : outs) {
            if (v.name().equals(LAST_HIDDEN_STATE)) {
                return v;
            }
        }
        List<Value> rank3 = outs.stream().filter(v -> v.shape() != null && v.shape().hasRank()
                && v.shape().rank() == 3 && v.dtype() == DataType.FLOAT).toList();
        if (rank3.size() != 1) {
            throw new IllegalArgumentException("model '" + m.graph().name() + "' has no output head producing an "
                    + "output and no single float [batch, sequence, hidden] output to pool (outputs: "
                    + outs.stream().map(v -> v.name() + " " + v.type()).toList() + "); expected a decoder with "
                    + "'logits' or an encoder with '" + LAST_HIDDEN_STATE + "'");
        }
        return rank3.get(0);
    }

    private static long hiddenSize(Value states, Model m, String source) {
        Shape s = states.shape();
        if (s == null || !s.hasRank() || s.rank() != 3 || !(s.dim(2) instanceof Dim.Known k)) {
            throw new IllegalArgumentException("hidden states (" + source + ") of model '" + m.graph().name()
                    + "' are " + states.type() + "; expected float [batch, sequence, hidden] with a known hidden size"
                    + " (run shape inference first)");
        }
        return k.size();
    }
}
