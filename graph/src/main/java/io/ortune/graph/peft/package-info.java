/**
 * Parameter-efficient fine-tuning as graph rewrites. The shared pieces every method uses live here:
 * {@link io.ortune.graph.peft.ModulePaths} (names to module paths and layers), {@link io.ortune.graph.peft.LinearMatcher}
 * (the linear layers of any graph, ortune-built or exported), {@link io.ortune.graph.peft.TargetSpec} (PEFT's
 * {@code target_modules} semantics, {@code re:}, {@code all-linear}), {@link io.ortune.graph.peft.LayerRange}, and
 * {@link io.ortune.graph.peft.PeftMetadata} (trainability and injected adapters recorded in the model). Each method
 * is one pass in its own file: {@link io.ortune.graph.peft.LoraPass} and {@link io.ortune.graph.peft.DoraPass}
 * (configured by {@link io.ortune.graph.peft.LoraConfig}), {@link io.ortune.graph.peft.Ia3Pass},
 * {@link io.ortune.graph.peft.BottleneckAdapterPass}, {@link io.ortune.graph.peft.PromptTuningPass},
 * {@link io.ortune.graph.peft.PrefixTuningPass} (with {@link io.ortune.graph.peft.AttentionMatcher}), each returning
 * an {@link io.ortune.graph.peft.Injection}; {@link io.ortune.graph.peft.PeftInjector} picks one from
 * {@link io.ortune.graph.peft.PeftSettings}. {@link io.ortune.graph.peft.AdapterSwitch} handles several adapters on
 * one base and {@link io.ortune.graph.peft.StripTrainingOnlyPass} inference exports.
 */
package io.ortune.graph.peft;
