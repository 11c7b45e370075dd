/**
 * Text generation over a model's KV-cache graph in ONNX Runtime.
 *
 * <p>{@link io.ortune.models.generate.Generator} owns the session and runs the decoding loop: one prefill over the
 * (left-padded) prompts, then one step per new token, feeding each step's {@code present.*} outputs back as the next
 * step's {@code past_key_values.*} without copying them out of ONNX Runtime. Each new token is picked from the last
 * position's logits after the {@link io.ortune.models.generate.LogitsProcessor}s that
 * {@link io.ortune.models.generate.GenerationConfig} asks for (repetition penalty, temperature, top-k, top-p, in
 * Hugging Face's order), greedily or by seeded sampling; a {@link io.ortune.models.generate.TokenListener} sees each
 * token as it is chosen ({@link io.ortune.models.generate.TextStreamer} turns them into text).
 *
 * <pre>{@code
 * try (Generator g = Generator.open(Path.of("model.onnx"), SessionOptions.defaults())) {
 *     GenerationResult r = g.generate(promptIds, GenerationConfig.greedy(40), TokenListener.NONE);
 * }
 * }</pre>
 */
package io.ortune.models.generate;
