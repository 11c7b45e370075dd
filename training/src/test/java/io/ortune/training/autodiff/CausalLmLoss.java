package io.ortune.training.autodiff;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.List;

/**
 * Appends Hugging Face's causal-LM loss to a training-form model: logits at position t predict labels[t+1];
 * SoftmaxCrossEntropyLoss over the flattened shifted positions, {@code ignore_index=-100}, mean over the labels
 * that are not ignored. Adds the graph input {@code labels} (int64 [batch, sequence]) and the output {@code loss}.
 */
final class CausalLmLoss {

    static final String LABELS = "labels";
    static final String LOSS = "loss";

    private CausalLmLoss() {
    }

    static Model append(Model m) {
        GraphBuilder b = GraphBuilder.on(m);
        Value logits = m.graph().outputs().stream().filter(v -> v.name().equals("logits")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("model has no 'logits' output"));
        long vocab = GradContext.staticDims(logits) != null ? GradContext.staticDims(logits)[2]
                : ((io.ortune.graph.ir.Dim.Known) logits.shape().dim(2)).size();
        Value labels = b.input(LABELS, DataType.INT64, logits.shape().dim(0), logits.shape().dim(1));
        try (GraphBuilder.Scope s = b.scope("causal_lm_loss")) {
            Value shiftedLogits = b.slice(logits, new long[] {0}, new long[] {-1}, new long[] {1});
            Value shiftedLabels = b.slice(labels, new long[] {1}, new long[] {Long.MAX_VALUE}, new long[] {1});
            Value scores = b.reshape(shiftedLogits, -1, vocab);
            Value targets = b.reshape(shiftedLabels, -1);
            Value loss = b.op("", "SoftmaxCrossEntropyLoss", List.of(scores, targets),
                    new Attribute.StringAttr("reduction", "mean"), new Attribute.IntAttr("ignore_index", -100));
            loss.setType(ValueType.tensor(DataType.FLOAT, Shape.SCALAR));
            b.output(loss, LOSS);
        }
        return m;
    }
}
