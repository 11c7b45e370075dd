/**
 * The stage implementations: {@link io.ortune.pipeline.stage.BaseStage}, {@link io.ortune.pipeline.stage.InjectStage},
 * {@link io.ortune.pipeline.stage.TrainStage}, {@link io.ortune.pipeline.stage.EvaluateStage}. Each calls the
 * module APIs a library user would call ({@code ModelFactory}, {@code PeftInjector}, {@code Trainer},
 * {@code InferenceSession}) and writes only in its own folder.
 */
package io.ortune.pipeline.stage;
