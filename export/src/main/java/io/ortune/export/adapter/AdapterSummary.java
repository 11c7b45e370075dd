package io.ortune.export.adapter;

import io.ortune.graph.peft.PeftMethod;

import java.util.Locale;

/**
 * One injected adapter as {@code ortune adapters list} shows it.
 *
 * @param name            the adapter's name
 * @param method          the method
 * @param r               LoRA rank ({@code r}; 0 when the method has none)
 * @param alpha           LoRA alpha (0 when the method has none)
 * @param modules         how many modules it adapts (0 for prompt methods)
 * @param trainableParams elements of its tensors
 * @param active          whether it is the model's active adapter
 */
public record AdapterSummary(String name, PeftMethod method, int r, double alpha, int modules, long trainableParams,
                             boolean active) {

    /** One line: {@code default  lora  r=8 alpha=16  4 modules  1,024 params  (active)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append("  ").append(method.cliName());
        if (r > 0) {
            sb.append(String.format(Locale.ROOT, "  r=%d alpha=%s", r,
                    alpha == Math.rint(alpha) ? String.valueOf((long) alpha) : String.valueOf(alpha)));
        }
        sb.append(String.format(Locale.ROOT, "  %d modules  %,d params", modules, trainableParams));
        if (active) {
            sb.append("  (active)");
        }
        return sb.toString();
    }
}
