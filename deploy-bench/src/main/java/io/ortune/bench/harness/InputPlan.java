package io.ortune.bench.harness;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.runtime.ValueInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * How to fill each of a model's inputs at one batch × sequence length, derived from the graph inputs alone:
 * {@code input_ids} (deterministic random ids), {@code attention_mask} (ones), {@code token_type_ids} (zeros),
 * {@code position_ids} (0 … seq − 1 per row), and a KV-cache model's {@code past_key_values.*} (empty: past length
 * 0, so one run is the prefill). Any other input is refused, by name.
 *
 * @param batch  rows
 * @param seq    tokens per row
 * @param inputs one fill per model input, in the model's order
 */
public record InputPlan(int batch, int seq, List<Fill> inputs) {

    /** What goes into one input. */
    public enum Content { TOKEN_IDS, ONES, ZEROS, POSITIONS, EMPTY_PAST }

    /**
     * One input's fill.
     *
     * @param name    the input name
     * @param dtype   its element type
     * @param dims    the concrete dimensions used
     * @param content what it holds
     */
    public record Fill(String name, DataType dtype, long[] dims, Content content) {
        public Fill {
            dims = dims.clone();
        }

        @Override
        public long[] dims() {
            return dims.clone();
        }
    }

    public InputPlan {
        inputs = List.copyOf(inputs);
    }

    /**
     * The plan for {@code model}'s {@code inputs} at {@code batch} × {@code seq}.
     *
     * @throws IllegalArgumentException naming the first input it cannot fill and what it can fill
     */
    public static InputPlan of(String model, List<ValueInfo> inputs, int batch, int seq) {
        if (batch < 1 || seq < 1) {
            throw new IllegalArgumentException("batch and sequence length must be >= 1, got " + batch + " x " + seq);
        }
        List<Fill> fills = new ArrayList<>();
        for (ValueInfo v : inputs) {
            fills.add(fill(model, v, batch, seq));
        }
        return new InputPlan(batch, seq, fills);
    }

    /** Whether the model has a KV cache among its inputs. */
    public boolean hasPast() {
        return inputs.stream().anyMatch(f -> f.content() == Content.EMPTY_PAST);
    }

    private static Fill fill(String model, ValueInfo v, int batch, int seq) {
        String n = v.name();
        if (n.startsWith("past_key_values.") || n.startsWith("past.")) {
            return past(model, v, batch);
        }
        Content c = switch (n) {
            case "input_ids" -> Content.TOKEN_IDS;
            case "attention_mask" -> Content.ONES;
            case "token_type_ids" -> Content.ZEROS;
            case "position_ids" -> Content.POSITIONS;
            default -> throw refuse(model, v, "it is not one of input_ids, attention_mask, token_type_ids,"
                    + " position_ids or past_key_values.*");
        };
        if (v.elementType() != DataType.INT64 && v.elementType() != DataType.INT32) {
            throw refuse(model, v, "expected int64 or int32 elements");
        }
        if (v.shape().hasRank() && v.shape().rank() != 2) {
            throw refuse(model, v, "expected rank 2 [batch, sequence]");
        }
        return new Fill(n, v.elementType(), new long[] {batch, seq}, c);
    }

    private static Fill past(String model, ValueInfo v, int batch) {
        if (v.elementType() != DataType.FLOAT && v.elementType() != DataType.FLOAT16) {
            throw refuse(model, v, "expected a float or float16 KV-cache tensor");
        }
        if (!v.shape().hasRank() || v.shape().rank() != 4) {
            throw refuse(model, v, "expected rank 4 [batch, heads, past_sequence, head_dim]");
        }
        long[] dims = {batch, known(model, v, 1), 0, known(model, v, 3)};
        return new Fill(v.name(), v.elementType(), dims, Content.EMPTY_PAST);
    }

    private static long known(String model, ValueInfo v, int axis) {
        if (v.shape().dim(axis) instanceof Dim.Known k) {
            return k.size();
        }
        throw refuse(model, v, "dimension " + axis + " must be a fixed size");
    }

    private static IllegalArgumentException refuse(String model, ValueInfo v, String why) {
        return new IllegalArgumentException("cannot fill input '" + v.name() + "' (" + v + ") of " + model + ": "
                + why);
    }
}
