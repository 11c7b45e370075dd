package io.ortune.bench.harness;

import io.ortune.graph.ir.DataType;
import io.ortune.runtime.NativeTensor;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The native input tensors of an {@link InputPlan}, allocated and filled once before timing, so that a timed run is
 * the session run alone. Token ids are drawn uniformly from [0, vocab) with a fixed seed.
 */
final class Feeds implements AutoCloseable {

    private final Map<String, NativeTensor> tensors = new LinkedHashMap<>();

    Feeds(InputPlan plan, int vocab, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        try {
            for (InputPlan.Fill f : plan.inputs()) {
                NativeTensor t = NativeTensor.allocate(f.dtype(), f.dims());
                tensors.put(f.name(), t);
                if (t.elementCount() > 0) {
                    fill(t.buffer(), f, plan.seq(), vocab, random);
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    Map<String, NativeTensor> asMap() {
        return tensors;
    }

    private static void fill(ByteBuffer b, InputPlan.Fill f, int seq, int vocab, SplittableRandom random) {
        long n = f.dims()[0] * (long) f.dims()[1];
        if (f.content() == InputPlan.Content.EMPTY_PAST) {
            return;
        }
        for (long i = 0; i < n; i++) {
            long v = switch (f.content()) {
                case TOKEN_IDS -> random.nextInt(vocab);
                case ONES -> 1;
                case ZEROS -> 0;
                case POSITIONS -> i % seq;
                case EMPTY_PAST -> 0;
            };
            if (f.dtype() == DataType.INT64) {
                b.putLong(v);
            } else {
                b.putInt((int) v);
            }
        }
    }

    @Override
    public void close() {
        for (NativeTensor t : tensors.values()) {
            t.close();
        }
    }
}
