package io.ortune.training.objective;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import io.ortune.graph.pass.DeadCodeEliminationPass;
import io.ortune.graph.pass.ShapeInferencePass;

import java.util.List;

/**
 * A reward model: a scalar head (Linear hidden → 1) on the pooled hidden states ({@link Pooling}: the last real
 * token of a decoder, the masked mean of an encoder) and the pairwise Bradley–Terry loss.
 *
 * <p>A batch holds 2B rows: rows 0..B-1 are the chosen sequences, rows B..2B-1 the rejected ones, pair i being rows
 * i and B+i. With r = score, the loss is {@code mean_i −log σ(r_chosen,i − r_rejected,i)} (computed as
 * {@code Softplus(r_rejected − r_chosen)}), as TRL's {@code RewardTrainer} computes it. Outputs:
 * {@value CausalLmObjective#LOSS}, {@value #ACCURACY} (the share of pairs with r_chosen &gt; r_rejected, TRL's
 * accuracy), {@value #MARGIN} (mean r_chosen − r_rejected); like the causal-LM objective it adds the float scalar
 * input {@value CausalLmObjective#LOSS_SCALE} and the value {@value CausalLmObjective#SCALED_LOSS} to differentiate.
 * {@link #scoringModel} is the model for inference: output {@value #SCORE} [batch].
 */
public final class RewardModelObjective {

    /** The scoring model's output, float [batch]. */
    public static final String SCORE = "score";
    /** Share of pairs ranked right, float scalar. */
    public static final String ACCURACY = "accuracy";
    /** Mean reward margin r_chosen − r_rejected, float scalar. */
    public static final String MARGIN = "margin";
    /** Name prefix of the head's weight [hidden, 1] and bias [1]. */
    public static final String HEAD = "reward_head";

    /**
     * Settings of the head.
     *
     * @param pooling how rows are pooled
     * @param seed    seed of the head's initial weight
     * @param initStd standard deviation of the initial weight (Hugging Face's {@code initializer_range}, 0.02)
     */
    public record Config(Pooling pooling, long seed, double initStd) {
        public Config {
            if (!(initStd >= 0)) {
                throw new IllegalArgumentException("initStd must be >= 0, got " + initStd);
            }
        }

        /** Automatic pooling, seed 42, std 0.02. */
        public static Config defaults() {
            return new Config(Pooling.AUTO, 42, 0.02);
        }
    }

    /**
     * The model with the loss.
     *
     * @param model          the copy with head and loss
     * @param loss           the {@value CausalLmObjective#LOSS} output
     * @param scaledLoss     the {@value CausalLmObjective#SCALED_LOSS} value to differentiate
     * @param headParameters the head's initializers (train them)
     * @param pooling        the pooling used
     */
    public record Appended(Model model, Value loss, Value scaledLoss, List<String> headParameters, Pooling pooling) { }

    private RewardModelObjective() {
    }

    /**
     * Appends head and Bradley–Terry loss to a copy of {@code forward} (typed: run shape inference on a model read
     * from a file). The outputs become {@value CausalLmObjective#LOSS}, {@value #ACCURACY}, {@value #MARGIN}.
     *
     * @throws IllegalArgumentException when the model has no attention mask or no hidden states to pool
     */
    public static Appended append(Model forward, Config config) {
        Model m = GraphCopier.copy(forward);
        GraphBuilder b = GraphBuilder.on(m);
        PooledOutput.Pooled p = PooledOutput.pool(b, m, config.pooling());
        Value score = score(b, p, config);
        Value scale = b.input(CausalLmObjective.LOSS_SCALE, ValueType.tensor(DataType.FLOAT, Shape.SCALAR));
        Value loss;
        Value scaled;
        Value accuracy;
        Value margin;
        try (GraphBuilder.Scope scope = b.scope("bradley_terry_loss")) {
            Value pairs = b.reshape(score, 2, -1);
            Value chosen = b.gather(pairs, b.constLong(0), 0);
            Value rejected = b.gather(pairs, b.constLong(1), 0);
            Value diff = b.sub(chosen, rejected);
            Value nll = b.op("", "Softplus", List.of(b.neg(diff)));
            Value mean = b.reduceMean(nll, null, false);
            Value right = b.cast(b.greater(chosen, rejected), DataType.FLOAT);
            Value acc = b.reduceMean(right, null, false);
            Value marg = b.reduceMean(diff, null, false);
            scaled = b.mul(mean, scale);
            m.graph().clearOutputs();
            loss = b.output(mean, CausalLmObjective.LOSS);
            accuracy = b.output(acc, ACCURACY);
            margin = b.output(marg, MARGIN);
            b.names().reserveValue(CausalLmObjective.SCALED_LOSS);
            scaled.setName(CausalLmObjective.SCALED_LOSS);
        }
        for (Value v : List.of(loss, accuracy, margin, scaled)) {
            v.setType(ValueType.tensor(DataType.FLOAT, Shape.SCALAR));
        }
        Model typed = new ShapeInferencePass().run(m).model();
        return new Appended(typed, output(typed, CausalLmObjective.LOSS), value(typed, CausalLmObjective.SCALED_LOSS),
                LinearHead.parameters(HEAD), p.pooling());
    }

    /**
     * The inference model: a copy of {@code forward} with the same head (same initializer names, so a checkpoint's
     * trained head fills it) and the single output {@value #SCORE} float [batch]; nodes only the old outputs needed
     * are removed.
     */
    public static Model scoringModel(Model forward, Config config) {
        Model m = GraphCopier.copy(forward);
        GraphBuilder b = GraphBuilder.on(m);
        Value score = score(b, PooledOutput.pool(b, m, config.pooling()), config);
        m.graph().clearOutputs();
        Value out = b.output(score, SCORE);
        out.setType(ValueType.tensor(DataType.FLOAT, forward.graph().inputs().get(0).shape() == null
                ? Shape.UNKNOWN_RANK : Shape.of(forward.graph().inputs().get(0).shape().dim(0))));
        return new DeadCodeEliminationPass().run(m).model();
    }

    private static Value score(GraphBuilder b, PooledOutput.Pooled p, Config config) {
        try (GraphBuilder.Scope scope = b.scope(HEAD)) {
            Value y = LinearHead.apply(b, HEAD, p.pooled(), p.hidden(), 1, config.seed(), config.initStd());
            return b.reshape(y, -1);
        }
    }

    static Value output(Model m, String name) {
        return m.graph().outputs().stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no output '" + name + "'"));
    }

    static Value value(Model m, String name) {
        return m.graph().nodes().stream().flatMap(n -> n.outputs().stream()).filter(v -> name.equals(v.name()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no value '" + name + "'"));
    }
}
