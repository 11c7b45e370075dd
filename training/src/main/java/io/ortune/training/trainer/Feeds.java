package io.ortune.training.trainer;

import io.ortune.graph.ir.Tensor;
import io.ortune.training.data.Batch;
import io.ortune.training.objective.CausalLmObjective;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The inputs of a training or eval step for a batch: the model's names, the batch's tensors, the loss scale. */
final class Feeds {

    private Feeds() {
    }

    static Map<String, Tensor> of(List<String> names, Batch batch, float lossScale) {
        Map<String, Tensor> all = batch.feeds();
        if (names.contains(Batch.POSITION_IDS)) {
            all.put(Batch.POSITION_IDS, batch.positionIds());
        }
        return of(names, all, lossScale);
    }

    /** The tensors of {@code batchFeeds} the model takes, plus the loss scale. */
    static Map<String, Tensor> of(List<String> names, Map<String, Tensor> batchFeeds, float lossScale) {
        Map<String, Tensor> all = new LinkedHashMap<>(batchFeeds);
        all.put(CausalLmObjective.LOSS_SCALE, Tensor.scalarFloat(CausalLmObjective.LOSS_SCALE, lossScale));
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String n : names) {
            Tensor t = all.get(n);
            if (t == null) {
                throw new IllegalStateException("the training model takes input '" + n + "', which the trainer does "
                        + "not know (it feeds " + all.keySet() + ")");
            }
            out.put(n, t);
        }
        return out;
    }

    static double scalar(Map<String, Tensor> outputs, String name) {
        Tensor t = outputs.get(name);
        if (t == null) {
            throw new IllegalStateException("the step returned no '" + name + "' (outputs: " + outputs.keySet() + ")");
        }
        return t.toFloats()[0];
    }
}
