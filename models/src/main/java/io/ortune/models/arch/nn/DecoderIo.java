package io.ortune.models.arch.nn;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Value;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelIo;

import java.util.List;

/**
 * The interface of a decoder graph in either {@link Form}: declares the inputs, derives what the form does not
 * feed (positions in the training form, a past length of 0), threads the KV cache through the layers and declares
 * the outputs. Names and dims are {@link ModelIo}'s.
 */
@SuppressWarnings("try") // module scopes are entered for their effect on node names
public final class DecoderIo {

    /** Keys and values to attend over, [batch, kv_heads, keys, head_dim]. */
    public record KeyValue(Value key, Value value) { }

    private final GraphBuilder b;
    private final Form form;
    private final int kvHeads;
    private final int headDim;
    private final Value inputIds;
    private final Value attentionMask;
    private final Value positionIds;
    private final Value[] past;
    private final Value[] present;
    private Value pastLength;

    private DecoderIo(GraphBuilder b, Form form, int layers, int kvHeads, int headDim) {
        this.b = b;
        this.form = form;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.past = new Value[2 * layers];
        this.present = new Value[2 * layers];
        boolean cached = form == Form.KV_CACHE;
        inputIds = b.input(ModelIo.INPUT_IDS, DataType.INT64, ModelIo.BATCH, ModelIo.SEQUENCE);
        attentionMask = b.input(ModelIo.ATTENTION_MASK, DataType.INT64, ModelIo.BATCH,
                cached ? ModelIo.TOTAL_SEQUENCE : ModelIo.SEQUENCE);
        if (cached) {
            positionIds = b.input(ModelIo.POSITION_IDS, DataType.INT64, ModelIo.BATCH, ModelIo.SEQUENCE);
            for (int i = 0; i < layers; i++) {
                past[2 * i] = b.input(ModelIo.past(i, true), DataType.FLOAT, ModelIo.BATCH, kvHeads,
                        ModelIo.PAST_SEQUENCE, headDim);
                past[2 * i + 1] = b.input(ModelIo.past(i, false), DataType.FLOAT, ModelIo.BATCH, kvHeads,
                        ModelIo.PAST_SEQUENCE, headDim);
            }
        } else {
            positionIds = positionsFromMask();
        }
    }

    /** Declares the inputs of {@code form} for a decoder of {@code layers} layers. */
    public static DecoderIo declare(GraphBuilder b, Form form, int layers, int kvHeads, int headDim) {
        return new DecoderIo(b, form, layers, kvHeads, headDim);
    }

    /**
     * Positions as Hugging Face derives them for left padding: {@code max(cumsum(attention_mask) - 1, 0)}, so the
     * first real token of every row is at position 0 (pad slots get 0; they never influence real tokens).
     */
    private Value positionsFromMask() {
        try (GraphBuilder.Scope s = b.scope("positions")) {
            Value cumsum = b.op("", "CumSum", List.of(attentionMask, b.constLong(1)));
            Shapes.typed(cumsum, DataType.INT64, ModelIo.BATCH, ModelIo.SEQUENCE);
            return b.max(b.sub(cumsum, b.constLong(1)), b.constLong(0));
        }
    }

    public Form form() {
        return form;
    }

    /** {@code input_ids}, int64 [batch, sequence]. */
    public Value inputIds() {
        return inputIds;
    }

    /** {@code attention_mask}, int64 [batch, sequence] (training) or [batch, total_sequence] (KV cache). */
    public Value attentionMask() {
        return attentionMask;
    }

    /** Position of every input token, int64 [batch, sequence]: fed (KV cache) or derived from the mask. */
    public Value positionIds() {
        return positionIds;
    }

    /** Number of cached tokens as an int64 scalar (a constant 0 in the training form). */
    public Value pastLength() {
        if (pastLength == null) {
            pastLength = form == Form.KV_CACHE ? Shapes.dim(b, past[0], 2) : b.constLong(0);
        }
        return pastLength;
    }

    /**
     * The keys and values layer {@code layer} attends over: in the KV-cache form the past ones followed by the new
     * ones (recorded as that layer's {@code present} outputs); in the training form the new ones.
     */
    public KeyValue attend(int layer, Value key, Value value) {
        if (form != Form.KV_CACHE) {
            return new KeyValue(key, value);
        }
        Value k = b.concat(2, past[2 * layer], key);
        Value v = b.concat(2, past[2 * layer + 1], value);
        present[2 * layer] = k;
        present[2 * layer + 1] = v;
        return new KeyValue(k, v);
    }

    /** Declares the outputs: {@code logits} [batch, sequence, vocab], then the present keys and values. */
    public void finish(Value logits, long vocab) {
        Shapes.typed(b.output(logits, ModelIo.LOGITS), DataType.FLOAT, ModelIo.BATCH, ModelIo.SEQUENCE, vocab);
        if (form != Form.KV_CACHE) {
            return;
        }
        for (int i = 0; i < present.length; i++) {
            if (present[i] == null) {
                throw new IllegalStateException("layer " + i / 2 + " never called attend(): no present output");
            }
            Value out = b.output(present[i], ModelIo.present(i / 2, i % 2 == 0));
            Shapes.typed(out, DataType.FLOAT, ModelIo.BATCH, kvHeads, ModelIo.TOTAL_SEQUENCE, headDim);
        }
    }
}
