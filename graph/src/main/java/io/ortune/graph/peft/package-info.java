/**
 * Parameter-efficient fine-tuning as graph rewrites. The shared pieces every method uses live here:
 * {@link io.ortune.graph.peft.ModulePaths} (names to module paths and layers), {@link io.ortune.graph.peft.LinearMatcher}
 * (the linear layers of any graph, ortune-built or exported), {@link io.ortune.graph.peft.TargetSpec} (PEFT's
 * {@code target_modules} semantics, {@code re:}, {@code all-linear}), {@link io.ortune.graph.peft.LayerRange}, and
 * {@link io.ortune.graph.peft.PeftMetadata} (trainability and injected adapters recorded in the model). Each method
 * is one pass in its own file: {@link io.ortune.graph.peft.LoraPass} and {@link io.ortune.graph.peft.DoraPass}
 * (configured by {@link io.ortune.graph.peft.LoraConfig}), with {@link io.ortune.graph.peft.AdapterSwitch} for several
 * adapters on one base and {@link io.ortune.graph.peft.StripTrainingOnlyPass} for inference exports.
 */
package io.ortune.graph.peft;
