package io.ortune.training.trainer;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.graph.pass.ShapeInferencePass;
import io.ortune.training.artifacts.ArtifactRequest;
import io.ortune.training.artifacts.ArtifactSet;
import io.ortune.training.artifacts.OptimizerConfig;
import io.ortune.training.artifacts.TrainingArtifacts;
import io.ortune.training.autodiff.Autodiff;
import io.ortune.training.autodiff.AutodiffOptions;
import io.ortune.training.autodiff.AutodiffReport;
import io.ortune.training.autodiff.AutodiffResult;
import io.ortune.training.autodiff.TrainableSet;
import io.ortune.training.objective.CausalLmObjective;
import io.ortune.training.objective.Objective;
import io.ortune.training.objective.Objectives;
import io.ortune.training.qlora.Nf4State;

/**
 * Builds the training artifacts of a causal-LM run: the objective appended to the training-form model, autodiff of
 * {@value CausalLmObjective#SCALED_LOSS} with respect to the trainable set, ONNX Runtime artifacts with
 * {@value CausalLmObjective#LOSS} as their first output, and the {@value GradNormOutput#NAME} output added to the
 * training model.
 */
public final class TrainingGraphs {

    /**
     * What {@link #build} made.
     *
     * @param artifacts  the artifact set (training model with the gradient-norm output)
     * @param autodiff   what autodiff did
     * @param parameters trainable and frozen parameters
     */
    public record Built(ArtifactSet artifacts, AutodiffReport autodiff, ParameterReport parameters) { }

    private TrainingGraphs() {
    }

    /**
     * Builds the artifacts.
     *
     * @param forward    an ortune training-form decoder (output {@code logits})
     * @param trainable  which parameters train
     * @param optimizer  the optimizer (its {@code maxGradNorm} clips inside the optimizer model)
     * @param ortKernels use ONNX Runtime's fused gradient kernels (faster; needs ONNX Runtime with training)
     * @throws IllegalArgumentException when no parameter is selected
     */
    public static Built build(Model forward, TrainableSet trainable, OptimizerConfig optimizer, boolean ortKernels) {
        return build(forward, Objectives.causalLm(), trainable, optimizer, ortKernels);
    }

    /**
     * Builds the artifacts of {@code objective}; the parameters of the head it adds train in addition to
     * {@code trainable}.
     */
    public static Built build(Model forward, Objective objective, TrainableSet trainable, OptimizerConfig optimizer,
                              boolean ortKernels) {
        // A model read from a file carries no types for intermediate values; gradient rules need ranks.
        Model typed = new ShapeInferencePass().run(forward).model();
        Objective.Graph obj = objective.append(typed);
        TrainableSet selected = obj.headParameters().isEmpty() ? trainable
                : trainable.or(TrainableSet.names(obj.headParameters()));
        AutodiffOptions options = AutodiffOptions.defaults().withGradientsAsOutputs(false)
                .withOrtGradientKernels(ortKernels);
        AutodiffResult r = Autodiff.differentiate(obj.model(), CausalLmObjective.SCALED_LOSS, selected, options);
        if (r.gradients().isEmpty()) {
            throw new IllegalArgumentException("no trainable parameter: " + trainable + " selects none of the model's "
                    + "parameters that affect the loss" + (r.trainable().isEmpty() ? "" : " (selected: "
                    + r.trainable() + ")"));
        }
        Value loss = r.model().graph().outputs().stream()
                .filter(v -> v.name().equals(CausalLmObjective.LOSS)).findFirst()
                .orElseThrow(() -> new IllegalStateException("autodiff dropped the loss output"));
        java.util.List<String> withGrad = new java.util.ArrayList<>(r.gradients().keySet());
        java.util.List<String> frozen = new java.util.ArrayList<>(r.frozen());
        for (String p : r.trainable()) {
            if (!r.gradients().containsKey(p)) {
                frozen.add(p);
            }
        }
        for (String p : Nf4State.initializers(r.model().graph())) {
            if (!frozen.contains(p)) {
                frozen.add(p);
            }
        }
        ArtifactSet set = TrainingArtifacts.build(ArtifactRequest.of(r.model(), loss, r.gradients(), withGrad, frozen)
                .withOptimizer(optimizer));
        GradNormOutput.add(set.trainingModel());
        return new Built(set, r.report(), ParameterReport.of(obj.model(), withGrad));
    }
}
