package io.ortune.training.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Walks training rows in micro-batches, epoch after epoch, in a seeded order: epoch e visits the rows in a
 * permutation drawn from {@code java.util.Random} seeded with a mix of the seed and e (or in file order without
 * shuffling). The last micro-batch of an epoch may be smaller. The position ({@link #epoch()}, {@link #index()})
 * is all the state there is: {@link #seek} to a saved position reproduces the same batches, which is how a resumed
 * run sees the data an uninterrupted run would. Not thread-safe.
 */
public final class BatchStream {

    private final List<Example> rows;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private int epoch;
    private int index;
    private int[] order;

    /**
     * @param rows      the rows (not copied; do not change them)
     * @param batchSize rows per micro-batch
     * @param seed      shuffling seed
     * @param shuffle   reshuffle every epoch (false: file order)
     */
    public BatchStream(List<Example> rows, int batchSize, long seed, boolean shuffle) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no training rows");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.rows = rows;
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        this.order = orderOf(0);
    }

    /** Micro-batches per epoch (the last one possibly smaller). */
    public int batchesPerEpoch() {
        return (rows.size() + batchSize - 1) / batchSize;
    }

    public int epoch() {
        return epoch;
    }

    /** Position of the next row within the current epoch's order. */
    public int index() {
        return index;
    }

    public int size() {
        return rows.size();
    }

    /** Moves to a saved position. */
    public void seek(int newEpoch, int newIndex) {
        if (newEpoch < 0 || newIndex < 0 || newIndex > rows.size()) {
            throw new IllegalArgumentException("no position (" + newEpoch + ", " + newIndex + ") in a stream of "
                    + rows.size() + " rows");
        }
        if (newEpoch != epoch || order == null) {
            order = orderOf(newEpoch);
        }
        epoch = newEpoch;
        index = newIndex;
    }

    /** The next micro-batch's rows; moves to the next epoch after the last. */
    public List<Example> next() {
        if (index >= rows.size()) {
            seek(epoch + 1, 0);
        }
        int end = Math.min(rows.size(), index + batchSize);
        List<Example> batch = new ArrayList<>(end - index);
        for (int i = index; i < end; i++) {
            batch.add(rows.get(order[i]));
        }
        index = end;
        return batch;
    }

    private int[] orderOf(int e) {
        int n = rows.size();
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        if (!shuffle) {
            return o;
        }
        Random r = new Random(seed * 0x9E3779B97F4A7C15L + e);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }
}
