package io.ortune.training.objective;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.List;

/**
 * Appends Hugging Face's causal-LM loss to a copy of a training-form model (inputs {@code input_ids},
 * {@code attention_mask}; output {@code logits} [batch, sequence, vocab]).
 *
 * <p>The loss is computed as {@code transformers} does: logits at position t predict {@code labels[t+1]}
 * ({@code logits[:, :-1]} against {@code labels[:, 1:]}), one {@code SoftmaxCrossEntropyLoss} over the flattened
 * positions with {@code ignore_index=-100} and {@code reduction=mean}, i.e. the mean over every label of the batch
 * that is not -100. {@value #LABELS} is an int64 [batch, sequence] input given before the shift (usually a copy of
 * {@code input_ids} with ignored positions set to -100).
 *
 * <p>Two more values serve the trainer: the float scalar input {@value #LOSS_SCALE} and
 * {@value #SCALED_LOSS} = loss × loss_scale, the value to differentiate. With gradient accumulation over K
 * micro-batches the trainer feeds each one {@code labelledTokens(micro) / labelledTokens(all K)}, so the
 * accumulated gradient equals that of one batch holding all K micro-batches, exactly. The model's outputs become
 * {@value #LOSS} alone, unless {@code keepLogits}: a training step then does not copy the [batch, sequence, vocab]
 * logits out of ONNX Runtime.
 */
public final class CausalLmObjective {

    /** The labels input, int64 [batch, sequence], before the shift; -100 marks a position without loss. */
    public static final String LABELS = "labels";
    /** The loss output: mean cross-entropy over the labelled tokens. */
    public static final String LOSS = "loss";
    /** Float scalar input multiplying the loss that gradients are taken of. */
    public static final String LOSS_SCALE = "loss_scale";
    /** loss × loss_scale: what autodiff differentiates. */
    public static final String SCALED_LOSS = "scaled_loss";
    /** The model's logits output. */
    public static final String LOGITS = "logits";
    /** Hugging Face's ignored label. */
    public static final long IGNORE_INDEX = -100;

    /**
     * The model with the objective appended.
     *
     * @param model      the copy with the loss (the input model is left as it was)
     * @param loss       the {@value #LOSS} value (first output)
     * @param scaledLoss the {@value #SCALED_LOSS} value to differentiate
     */
    public record Appended(Model model, Value loss, Value scaledLoss) { }

    private CausalLmObjective() {
    }

    /** Appends the loss; the outputs become {@value #LOSS} only. */
    public static Appended append(Model trainingForm) {
        return append(trainingForm, false);
    }

    /**
     * Appends the loss to a copy of {@code trainingForm}.
     *
     * @param keepLogits keep {@value #LOGITS} as a second output
     * @throws IllegalArgumentException when the model has no 3-D {@code logits} output with a known vocabulary size
     */
    public static Appended append(Model trainingForm, boolean keepLogits) {
        Model m = GraphCopier.copy(trainingForm);
        GraphBuilder b = GraphBuilder.on(m);
        Value logits = m.graph().outputs().stream().filter(v -> v.name().equals(LOGITS)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("model '" + m.graph().name() + "' has no '" + LOGITS
                        + "' output (outputs: " + m.graph().outputs().stream().map(Value::name).toList()
                        + "); the causal-LM objective needs the training form of a decoder"));
        long vocab = vocabSize(logits, m);
        Shape s = logits.shape();
        Value labels = b.input(LABELS, DataType.INT64, s.dim(0), s.dim(1));
        Value scale = b.input(LOSS_SCALE, ValueType.tensor(DataType.FLOAT, Shape.SCALAR));
        Value loss;
        Value scaled;
        try (GraphBuilder.Scope scope = b.scope("causal_lm_loss")) {
            Value shiftedLogits = b.slice(logits, new long[] {0}, new long[] {-1}, new long[] {1});
            Value shiftedLabels = b.slice(labels, new long[] {1}, new long[] {Long.MAX_VALUE}, new long[] {1});
            Value scores = b.reshape(shiftedLogits, -1, vocab);
            Value targets = b.reshape(shiftedLabels, -1);
            Value ce = b.op("", "SoftmaxCrossEntropyLoss", List.of(scores, targets),
                    new Attribute.StringAttr("reduction", "mean"), new Attribute.IntAttr("ignore_index", IGNORE_INDEX));
            ce.setType(ValueType.tensor(DataType.FLOAT, Shape.SCALAR));
            scaled = b.mul(ce, scale);
            m.graph().clearOutputs();
            loss = b.output(ce, LOSS);
            b.names().reserveValue(SCALED_LOSS);
            scaled.setName(SCALED_LOSS);
            scaled.setType(ValueType.tensor(DataType.FLOAT, Shape.SCALAR));
        }
        if (keepLogits) {
            m.graph().addOutput(logits);
        }
        return new Appended(m, loss, scaled);
    }

    private static long vocabSize(Value logits, Model m) {
        Shape s = logits.shape();
        if (s == null || !s.hasRank() || s.rank() != 3 || !(s.dim(2) instanceof Dim.Known k)) {
            throw new IllegalArgumentException("output '" + LOGITS + "' of model '" + m.graph().name() + "' is "
                    + logits.type() + "; expected float [batch, sequence, vocab] with a known vocab size");
        }
        return k.size();
    }
}
