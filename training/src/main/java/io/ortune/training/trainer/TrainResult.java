package io.ortune.training.trainer;

import java.nio.file.Path;
import java.util.List;

/**
 * How a run ended.
 *
 * @param steps          optimizer steps done
 * @param lastLoss       the last step's loss
 * @param initialEval    evaluation before the first step (null when resumed or without eval rows)
 * @param finalEval      evaluation at the end (null without eval rows)
 * @param evals          every evaluation of this invocation, in order
 * @param bestEvalLoss   the best eval loss (NaN without evaluations)
 * @param bestStep       its step (-1 without)
 * @param stoppedEarly   early stopping ended the run
 * @param model          the exported {@code model.onnx}
 * @param lastCheckpoint the final checkpoint folder
 * @param seconds        wall time of this invocation
 * @param parameters     trainable-parameter report (null when resumed)
 */
public record TrainResult(long steps, double lastLoss, EvalResult initialEval, EvalResult finalEval,
                          List<EvalResult> evals, double bestEvalLoss, long bestStep, boolean stoppedEarly, Path model,
                          Path lastCheckpoint, double seconds, ParameterReport parameters) {

    public TrainResult {
        evals = List.copyOf(evals);
    }
}
