package io.ortune.bench;

import io.ortune.graph.ir.Tensor;
import io.ortune.models.arch.ModelIo;
import io.ortune.models.generate.DecoderSpec;
import io.ortune.models.generate.Generator;
import io.ortune.models.generate.Sampling;
import io.ortune.runtime.InferenceSession;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The naive greedy loop, for comparison only: every step copies all outputs (logits and the whole KV cache) onto
 * the Java heap with {@link InferenceSession#run} and copies the cache back into native memory as the next
 * inputs. {@link Generator} keeps the cache in ONNX Runtime's memory instead.
 */
final class HeapKvLoop {

    private HeapKvLoop() {
    }

    /** Greedy decode of {@code newTokens} tokens at batch 1; returns (newTokens − 1) / time of the cached steps. */
    static double decodeTokensPerSecond(Generator generator, int[] prompt, int newTokens) {
        InferenceSession session = generator.session();
        DecoderSpec spec = generator.spec();
        Map<String, Tensor> past = new LinkedHashMap<>();
        for (int i = 0; i < spec.layers(); i++) {
            for (boolean key : new boolean[] {true, false}) {
                String n = ModelIo.past(i, key);
                past.put(n, Tensor.ofFloats(n, new long[] {1, spec.kvHeads(), 0, spec.headDim()}));
            }
        }
        long[] ids = Arrays.stream(prompt).asLongStream().toArray();
        long[] positions = new long[ids.length];
        Arrays.setAll(positions, i -> i);
        int total = ids.length;
        int token = step(session, spec, past, ids, positions, total);
        long start = System.nanoTime();
        for (int t = 1; t < newTokens; t++) {
            total++;
            token = step(session, spec, past, new long[] {token}, new long[] {total - 1}, total);
        }
        return (newTokens - 1) / ((System.nanoTime() - start) / 1e9);
    }

    private static int step(InferenceSession session, DecoderSpec spec, Map<String, Tensor> past, long[] ids,
                            long[] positions, int total) {
        long[] mask = new long[total];
        Arrays.fill(mask, 1);
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put(ModelIo.INPUT_IDS, Tensor.ofLongs(ModelIo.INPUT_IDS, new long[] {1, ids.length}, ids));
        feeds.put(ModelIo.ATTENTION_MASK, Tensor.ofLongs(ModelIo.ATTENTION_MASK, new long[] {1, total}, mask));
        if (spec.positionIds()) {
            feeds.put(ModelIo.POSITION_IDS, Tensor.ofLongs(ModelIo.POSITION_IDS, new long[] {1, ids.length},
                    positions));
        }
        feeds.putAll(past);
        Map<String, Tensor> out = session.run(feeds);
        for (int i = 0; i < spec.layers(); i++) {
            for (boolean key : new boolean[] {true, false}) {
                past.put(ModelIo.past(i, key), out.get(ModelIo.present(i, key)).withName(ModelIo.past(i, key)));
            }
        }
        float[] logits = out.get(ModelIo.LOGITS).toFloats();
        int vocab = logits.length / ids.length;
        return Sampling.argmax(Arrays.copyOfRange(logits, logits.length - vocab, logits.length));
    }
}
