/**
 * The pass framework: a {@link io.ortune.graph.pass.Pass} turns a model into a
 * {@link io.ortune.graph.pass.PassResult} without changing its input; {@link io.ortune.graph.pass.Pipeline} runs
 * passes in order (optionally validating between them) and reports a failure with the passes before it;
 * {@link io.ortune.graph.pass.PassRegistry} finds passes by their CLI names.
 */
package io.ortune.graph.pass;
