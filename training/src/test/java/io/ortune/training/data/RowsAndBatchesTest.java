package io.ortune.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Packing vs padding, the masks and labels a batch carries, and the seeded, resumable batch order. */
class RowsAndBatchesTest {

    private static Example ex(int from, int n, int prompt) {
        int[] ids = new int[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = from + i;
            labels[i] = i < prompt ? Example.IGNORE : from + i;
        }
        return new Example(ids, labels);
    }

    @Test
    void packingFillsEveryRowAndCarriesLabels() {
        List<Example> rows = Rows.pack(List.of(ex(10, 3, 1), ex(20, 4, 0), ex(30, 5, 2)), 4);
        assertThat(rows).extracting(Example::length).containsExactly(4, 4, 4);
        assertThat(rows.get(0).inputIds()).containsExactly(10, 11, 12, 20);
        assertThat(rows.get(0).labels()).containsExactly(-100, 11, 12, 20);
        assertThat(rows.get(2).inputIds()).containsExactly(31, 32, 33, 34);
        assertThat(rows.get(2).labels()).containsExactly(-100, 32, 33, 34);
        Batch b = new Collator(0).collate(rows);
        assertThat(b.attentionMask()).containsOnly(1L);
    }

    @Test
    void paddingMasksAndIgnoresThePads() {
        List<Example> rows = Rows.of(List.of(ex(10, 3, 1), ex(20, 5, 0)), Rows.Layout.PAD, 8);
        Batch b = new Collator(99).collate(rows);
        assertThat(b.rows()).isEqualTo(2);
        assertThat(b.length()).isEqualTo(5);
        assertThat(b.inputIds()).containsExactly(10, 11, 12, 99, 99, 20, 21, 22, 23, 24);
        assertThat(b.attentionMask()).containsExactly(1, 1, 1, 0, 0, 1, 1, 1, 1, 1);
        assertThat(b.labels()).containsExactly(-100, 11, 12, -100, -100, 20, 21, 22, 23, 24);
        assertThat(b.labelledTargets()).isEqualTo(2 + 4);
        assertThat(b.tokens()).isEqualTo(8);
        assertThat(b.feeds().get(Batch.ATTENTION_MASK).dims()).containsExactly(2, 5);
    }

    @Test
    void batchStreamIsSeededPerEpochAndResumable() {
        List<Example> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(Example.causal(new int[] {i, i}));
        }
        BatchStream a = new BatchStream(rows, 3, 5, true);
        assertThat(a.batchesPerEpoch()).isEqualTo(4);
        List<List<Example>> seen = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            seen.add(a.next());
        }
        Set<Example> epoch0 = new HashSet<>();
        seen.subList(0, 4).forEach(epoch0::addAll);
        assertThat(epoch0).hasSize(10);
        assertThat(seen.get(3)).hasSize(1);
        assertThat(seen.subList(4, 8)).isNotEqualTo(seen.subList(0, 4));
        BatchStream b = new BatchStream(rows, 3, 5, true);
        b.seek(1, 3);
        assertThat(b.next()).isEqualTo(seen.get(5));
        assertThat(new BatchStream(rows, 3, 5, false).next()).containsExactly(rows.get(0), rows.get(1), rows.get(2));
    }
}
