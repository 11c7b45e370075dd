package io.ortune.models.arch;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.runtime.InferenceSession;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drives a KV-cache graph chunk by chunk the way a generation loop does: starts from an empty past (length 0),
 * feeds {@code attention_mask} over all tokens so far and explicit {@code position_ids}, carries {@code present.*}
 * to the next step, and collects the logits of every step into one [batch, sequence, vocab] array.
 */
final class KvDecoder implements AutoCloseable {

    private final InferenceSession session;
    private final int layers;
    private final Map<String, Tensor> past = new LinkedHashMap<>();

    KvDecoder(Model kvModel, int layers, int kvHeads, int headDim, int batch) {
        this.session = Sessions.open(kvModel);
        this.layers = layers;
        for (int i = 0; i < layers; i++) {
            for (boolean key : new boolean[] {true, false}) {
                String n = ModelIo.past(i, key);
                past.put(n, Tensor.ofFloats(n, new long[] {batch, kvHeads, 0, headDim}));
            }
        }
    }

    /**
     * Runs the whole sequence in chunks of the given sizes (summing to its length) and returns all logits,
     * row-major [batch, sequence, vocab].
     */
    float[] decode(long[][] ids, long[][] mask, long[][] positions, int vocab, int... chunks) {
        int batch = ids.length;
        int seq = ids[0].length;
        float[] all = new float[batch * seq * vocab];
        int done = 0;
        for (int chunk : chunks) {
            float[] logits = step(Sessions.columns(ids, done, done + chunk), Sessions.columns(mask, 0, done + chunk),
                    Sessions.columns(positions, done, done + chunk));
            for (int b = 0; b < batch; b++) {
                System.arraycopy(logits, b * chunk * vocab, all, (b * seq + done) * vocab, chunk * vocab);
            }
            done += chunk;
        }
        if (done != seq) {
            throw new IllegalArgumentException("chunks cover " + done + " of " + seq + " tokens");
        }
        return all;
    }

    /**
     * One decoding step: the new tokens' ids and positions, the mask over every token so far; returns their logits
     * [batch, new tokens, vocab] and keeps the presents as the next past.
     */
    float[] step(long[][] newIds, long[][] maskSoFar, long[][] newPositions) {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put(ModelIo.INPUT_IDS, Sessions.longs(ModelIo.INPUT_IDS, newIds));
        feeds.put(ModelIo.ATTENTION_MASK, Sessions.longs(ModelIo.ATTENTION_MASK, maskSoFar));
        feeds.put(ModelIo.POSITION_IDS, Sessions.longs(ModelIo.POSITION_IDS, newPositions));
        feeds.putAll(past);
        Map<String, Tensor> out = session.run(feeds);
        for (int i = 0; i < layers; i++) {
            for (boolean key : new boolean[] {true, false}) {
                past.put(ModelIo.past(i, key), out.get(ModelIo.present(i, key)).withName(ModelIo.past(i, key)));
            }
        }
        return out.get(ModelIo.LOGITS).toFloats();
    }

    @Override
    public void close() {
        session.close();
    }
}
