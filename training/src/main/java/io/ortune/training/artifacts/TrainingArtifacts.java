package io.ortune.training.artifacts;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the ONNX Runtime training artifacts (training, eval and optimizer models, and the initial checkpoint) from
 * a model whose graph already computes the loss and the gradient of every trainable parameter.
 *
 * <pre>{@code
 * ArtifactSet set = TrainingArtifacts.build(ArtifactRequest.of(model, loss, gradients, trainable, frozen)
 *         .withOptimizer(OptimizerConfig.AdamW.defaults().withWeightDecay(0.01f)));
 * set.write(Path.of("artifacts"));
 * }</pre>
 *
 * <p>Parameters (trainable and frozen) move from initializers to graph inputs with unchanged names and their
 * initial values go to the checkpoint; other initializers stay constants. Trainable parameters must be float32
 * (ONNX Runtime's CPU optimizer kernels update float only); frozen ones may be of any numeric type, such as uint8
 * NF4 codes. See {@link WeightDecayPolicy} for how AdamW weight decay is split between the optimizer node and the
 * trainer.
 */
public final class TrainingArtifacts {

    private TrainingArtifacts() {
    }

    /** Builds the artifacts with AdamW defaults. */
    public static ArtifactSet build(Model model, Value loss, Map<String, Value> gradients,
                                    Collection<String> trainable, Collection<String> frozen) {
        return build(ArtifactRequest.of(model, loss, gradients, trainable, frozen));
    }

    /**
     * Builds the artifacts.
     *
     * @throws ArtifactException listing every problem when the request does not describe valid artifacts
     */
    public static ArtifactSet build(ArtifactRequest request) {
        ArtifactValidator.Resolved res = ArtifactValidator.validate(request);
        ArtifactGraphs.Rewritten training = ArtifactGraphs.training(request, res);
        ArtifactGraphs.Rewritten eval = ArtifactGraphs.eval(request, res);

        Map<String, long[]> trainableDims = new LinkedHashMap<>();
        List<Tensor> trainable = new ArrayList<>();
        List<Tensor> frozen = new ArrayList<>();
        long trainableElements = 0;
        long frozenElements = 0;
        for (String p : res.trainable()) {
            Tensor t = res.initial().get(p);
            trainable.add(t.withName(p));
            trainableDims.put(p, t.dims());
            trainableElements += t.elementCount();
        }
        for (String p : res.frozen()) {
            Tensor t = res.initial().get(p);
            frozen.add(t.withName(p));
            frozenElements += t.elementCount();
        }

        OptimizerConfig opt = request.optimizer();
        WeightDecayPolicy.Plan plan;
        Model optimizerModel;
        if (opt instanceof OptimizerConfig.AdamW adamw) {
            plan = WeightDecayPolicy.plan(adamw.weightDecay(), trainableDims);
            optimizerModel = OptimizerModels.adamw(adamw.withWeightDecay(plan.nodeWeightDecay()), res.paramType());
        } else {
            plan = WeightDecayPolicy.plan(0f, trainableDims);
            optimizerModel = OptimizerModels.sgd((OptimizerConfig.Sgd) opt, res.paramType());
        }

        List<String> notes = new ArrayList<>(training.notes());
        notes.addAll(eval.notes());
        if (plan.trainerApplies()) {
            notes.add("optimizer: weight_decay=0 in the AdamW node; the trainer applies decoupled decay "
                    + plan.trainerWeightDecay() + " to " + plan.trainerDecayed().size() + " parameter(s) and skips "
                    + plan.undecayed().size() + " (biases, norm weights, 1-D tensors)");
        }
        Checkpoint checkpoint = new Checkpoint(trainable, frozen, Optional.empty(), request.properties());
        ArtifactSummary summary = new ArtifactSummary(request.loss().name(), training.userInputs(), res.trainable(),
                res.frozen(), trainableElements, frozenElements, opt, plan, notes);
        return new ArtifactSet(training.model(), eval.model(), optimizerModel, checkpoint, summary);
    }
}
