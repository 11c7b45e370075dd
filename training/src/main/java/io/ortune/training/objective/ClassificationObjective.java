package io.ortune.training.objective;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import io.ortune.graph.pass.DeadCodeEliminationPass;
import io.ortune.graph.pass.ShapeInferencePass;

import java.util.List;

/**
 * Sequence classification: a linear head (hidden → N labels) on the pooled hidden states (encoders: masked mean;
 * decoders: the last real token) and the cross-entropy of the logits against an int64 [batch] input
 * {@value #LABELS}, averaged over the batch (BERT fine-tuning's loss, {@code SoftmaxCrossEntropyLoss} with
 * {@code reduction=mean}). Outputs {@value CausalLmObjective#LOSS} and {@value #ACCURACY} (share of rows whose
 * arg-max logit is the label); inputs and {@value CausalLmObjective#SCALED_LOSS} as the causal-LM objective.
 * {@link #classifierModel} is the inference model: output {@value #LOGITS} float [batch, num_labels].
 */
public final class ClassificationObjective {

    /** The class labels input, int64 [batch]. */
    public static final String LABELS = "labels";
    /** Share of rows classified right, float scalar. */
    public static final String ACCURACY = "accuracy";
    /** The classifier's output, float [batch, num_labels]. */
    public static final String LOGITS = "logits";
    /** Name prefix of the head's weight [hidden, num_labels] and bias [num_labels]. */
    public static final String HEAD = "classifier";

    /**
     * Settings of the head.
     *
     * @param numLabels number of classes, at least 2
     * @param pooling   how rows are pooled
     * @param seed      seed of the head's initial weight
     * @param initStd   standard deviation of the initial weight (Hugging Face's 0.02)
     */
    public record Config(int numLabels, Pooling pooling, long seed, double initStd) {
        public Config {
            if (numLabels < 2) {
                throw new IllegalArgumentException("numLabels must be at least 2, got " + numLabels);
            }
            if (!(initStd >= 0)) {
                throw new IllegalArgumentException("initStd must be >= 0, got " + initStd);
            }
        }

        /** {@code numLabels} classes, automatic pooling, seed 42, std 0.02. */
        public static Config of(int numLabels) {
            return new Config(numLabels, Pooling.AUTO, 42, 0.02);
        }
    }

    /**
     * The model with the loss.
     *
     * @param model          the copy with head and loss
     * @param loss           the {@value CausalLmObjective#LOSS} output
     * @param scaledLoss     the {@value CausalLmObjective#SCALED_LOSS} value
     * @param headParameters the head's initializers
     */
    public record Appended(Model model, Value loss, Value scaledLoss, List<String> headParameters) { }

    private ClassificationObjective() {
    }

    /** Appends head and loss to a copy of the typed {@code forward}; outputs {@code loss}, {@code accuracy}. */
    public static Appended append(Model forward, Config config) {
        Model m = GraphCopier.copy(forward);
        GraphBuilder b = GraphBuilder.on(m);
        Value logits = logits(b, m, config);
        Value labels = b.input(LABELS, DataType.INT64, forward.graph().inputs().get(0).shape().dim(0));
        Value scale = b.input(CausalLmObjective.LOSS_SCALE, ValueType.tensor(DataType.FLOAT, Shape.SCALAR));
        Value loss;
        Value acc;
        Value scaled;
        try (GraphBuilder.Scope scope = b.scope("classification_loss")) {
            Value ce = b.op("", "SoftmaxCrossEntropyLoss", List.of(logits, labels),
                    new Attribute.StringAttr("reduction", "mean"));
            ce.setType(ValueType.tensor(DataType.FLOAT, Shape.SCALAR));
            Value predicted = b.op("", "ArgMax", List.of(logits), new Attribute.IntAttr("axis", 1),
                    new Attribute.IntAttr("keepdims", 0));
            Value right = b.cast(b.equal(predicted, labels), DataType.FLOAT);
            Value mean = b.reduceMean(right, null, false);
            scaled = b.mul(ce, scale);
            m.graph().clearOutputs();
            loss = b.output(ce, CausalLmObjective.LOSS);
            acc = b.output(mean, ACCURACY);
            b.names().reserveValue(CausalLmObjective.SCALED_LOSS);
            scaled.setName(CausalLmObjective.SCALED_LOSS);
        }
        for (Value v : List.of(loss, acc, scaled)) {
            v.setType(ValueType.tensor(DataType.FLOAT, Shape.SCALAR));
        }
        Model typed = new ShapeInferencePass().run(m).model();
        return new Appended(typed, RewardModelObjective.output(typed, CausalLmObjective.LOSS),
                RewardModelObjective.value(typed, CausalLmObjective.SCALED_LOSS), LinearHead.parameters(HEAD));
    }

    /** The inference model: the same head, single output {@value #LOGITS} [batch, num_labels]. */
    public static Model classifierModel(Model forward, Config config) {
        Model m = GraphCopier.copy(forward);
        GraphBuilder b = GraphBuilder.on(m);
        Value logits = logits(b, m, config);
        m.graph().clearOutputs();
        b.output(logits, LOGITS);
        return new DeadCodeEliminationPass().run(m).model();
    }

    private static Value logits(GraphBuilder b, Model m, Config config) {
        PooledOutput.Pooled p = PooledOutput.pool(b, m, config.pooling());
        try (GraphBuilder.Scope scope = b.scope(HEAD)) {
            return LinearHead.apply(b, HEAD, p.pooled(), p.hidden(), config.numLabels(), config.seed(),
                    config.initStd());
        }
    }
}
