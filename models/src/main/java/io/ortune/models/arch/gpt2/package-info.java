/** GPT-2: weight names ({@link io.ortune.models.arch.gpt2.Gpt2Weights}) and the graph builder. */
package io.ortune.models.arch.gpt2;
