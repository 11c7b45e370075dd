package io.ortune.models.generate;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.arch.ModelIo;
import io.ortune.runtime.InferenceSession;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/** Greedy decoding the slow, obvious way: the training graph over the whole sequence at every step, no cache. */
final class Recompute {

    private Recompute() {
    }

    static int[] greedy(Model training, int[] prompt, int newTokens) throws IOException {
        int[] ids = prompt.clone();
        try (InferenceSession s = InferenceSession.fromBytes(OnnxWriter.toBytes(training))) {
            for (int step = 0; step < newTokens; step++) {
                long[] longs = Arrays.stream(ids).asLongStream().toArray();
                long[] ones = new long[ids.length];
                Arrays.fill(ones, 1);
                long[] dims = {1, ids.length};
                Map<String, Tensor> out = s.run(Map.of(ModelIo.INPUT_IDS, Tensor.ofLongs(ModelIo.INPUT_IDS, dims, longs),
                        ModelIo.ATTENTION_MASK, Tensor.ofLongs(ModelIo.ATTENTION_MASK, dims, ones)));
                float[] logits = out.get(ModelIo.LOGITS).toFloats();
                int vocab = logits.length / ids.length;
                float[] last = Arrays.copyOfRange(logits, (ids.length - 1) * vocab, ids.length * vocab);
                ids = Arrays.copyOf(ids, ids.length + 1);
                ids[ids.length - 1] = Sampling.argmax(last);
            }
        }
        return Arrays.copyOfRange(ids, prompt.length, ids.length);
    }
}
