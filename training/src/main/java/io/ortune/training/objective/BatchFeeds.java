package io.ortune.training.objective;

import io.ortune.graph.ir.Tensor;
import io.ortune.training.data.Batch;

import java.util.Map;

/** The inputs any model may take from a padded batch: ids, mask, position ids and zero token types. */
final class BatchFeeds {

    static final String TOKEN_TYPE_IDS = "token_type_ids";

    private BatchFeeds() {
    }

    /** ids, attention mask, labels, position ids and all-zero token type ids of {@code b}. */
    static Map<String, Tensor> of(Batch b) {
        Map<String, Tensor> m = b.feeds();
        m.put(Batch.POSITION_IDS, b.positionIds());
        m.put(TOKEN_TYPE_IDS, Tensor.ofLongs(TOKEN_TYPE_IDS, new long[] {b.rows(), b.length()},
                new long[b.rows() * b.length()]));
        return m;
    }
}
