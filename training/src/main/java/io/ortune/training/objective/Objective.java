package io.ortune.training.objective;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.training.data.Collator;
import io.ortune.training.data.Example;

import java.util.List;
import java.util.Map;

/**
 * What the trainer optimises: how the loss is appended to the forward model, what a batch feeds, how much each
 * batch weighs in a step and in an evaluation, which scalar outputs are evaluation metrics, and which extra models
 * a finished run writes. Every objective's model has the float scalar input {@value CausalLmObjective#LOSS_SCALE},
 * the value {@value CausalLmObjective#SCALED_LOSS} = loss × scale (what autodiff differentiates) and the first
 * output {@value CausalLmObjective#LOSS}, a mean over the batch's {@link Fed#weight()} units; the trainer feeds
 * each of K accumulated micro-batches its share of the step's units, so accumulation equals one large batch.
 * Made by {@link Objectives}.
 */
public interface Objective {

    /**
     * The model with the loss.
     *
     * @param model          typed model with the loss, first output {@value CausalLmObjective#LOSS}
     * @param headParameters initializers the objective added; they always train
     */
    record Graph(Model model, List<String> headParameters) {
        public Graph {
            headParameters = List.copyOf(headParameters);
        }
    }

    /**
     * One batch's inputs.
     *
     * @param feeds  tensors by input name (a superset of what the model takes is fine; the loss scale is added by
     *               the trainer)
     * @param weight the units the loss averages over (labelled tokens, pairs, rows)
     * @param tokens real tokens in the batch
     */
    record Fed(Map<String, Tensor> feeds, long weight, long tokens) { }

    /**
     * An inference model a run writes next to {@code model.onnx}, its parameters filled from the last checkpoint.
     *
     * @param fileName file in the run folder
     * @param model    the model (its initializers named as in training)
     */
    record Export(String fileName, Model model) { }

    /** The CLI name: {@code causal-lm}, {@code reward}, {@code classification}. */
    String name();

    /** Appends the loss to a copy of the typed training-form {@code forward}. */
    Graph append(Model forward);

    /** Collates {@code rows} into the model's inputs. */
    Fed feed(List<Example> rows, Collator collator);

    /** Scalar outputs averaged (by weight) over evaluation batches besides the loss, e.g. {@code accuracy}. */
    List<String> metrics();

    /** Whether exp(eval loss) is a perplexity worth reporting. */
    boolean reportsPerplexity();

    /** Inference models to write at the end of a run, from the typed {@code forward}. */
    List<Export> exports(Model forward);
}
