/**
 * The fine-tuning loop over ONNX Runtime's training API.
 *
 * <p>{@link io.ortune.training.trainer.Trainer#train} takes a {@link io.ortune.training.trainer.TrainRequest}
 * (training-form model, rows, settings in a {@link io.ortune.training.trainer.TrainerConfig}, run folder) and
 * returns a {@link io.ortune.training.trainer.TrainResult}: it builds the artifacts
 * ({@link io.ortune.training.trainer.TrainingGraphs}), runs accumulated micro-batches, the scheduled learning rate
 * ({@link io.ortune.training.trainer.LrSchedule}), clipping, weight decay, evaluation, early stopping and atomic
 * checkpoints with a {@link io.ortune.training.trainer.TrainerState} that makes resuming exact, reports each step to a
 * {@link io.ortune.training.trainer.TrainingListener} and {@code metrics.jsonl}, and exports {@code model.onnx}
 * ({@link io.ortune.training.trainer.ModelExport}).
 */
package io.ortune.training.trainer;
