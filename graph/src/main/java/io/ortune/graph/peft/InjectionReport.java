package io.ortune.graph.peft;

import java.util.List;
import java.util.Locale;

/**
 * What an injection pass did: PEFT's {@code print_trainable_parameters} plus the modules touched and skipped.
 *
 * @param method          the method
 * @param adapterName     the adapter's name
 * @param injected        one line per rewritten module ({@code model.layers.0.self_attn.q_proj: lora r=8})
 * @param skipped         candidates left alone, with reasons
 * @param trainableParams elements of the adapter's new trainable tensors
 * @param totalParams     elements of all floating-point parameters after injection
 */
public record InjectionReport(PeftMethod method, String adapterName, List<String> injected,
                              List<SkippedCandidate> skipped, long trainableParams, long totalParams) {

    public InjectionReport {
        injected = List.copyOf(injected);
        skipped = List.copyOf(skipped);
    }

    /** PEFT's one-line figure: {@code trainable params: 294,912 || all params: 124,734,720 || trainable%: 0.2364}. */
    public String parameterLine() {
        return String.format(Locale.ROOT, "trainable params: %,d || all params: %,d || trainable%%: %.4f",
                trainableParams, totalParams, totalParams == 0 ? 0.0 : 100.0 * trainableParams / totalParams);
    }

    /** A few lines for a console: counts, the first skips with reasons, and the parameter line. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(method.cliName()).append(" adapter '").append(adapterName).append("': injected into ")
                .append(injected.size()).append(injected.size() == 1 ? " module" : " modules");
        if (!skipped.isEmpty()) {
            sb.append(", skipped ").append(skipped.size());
        }
        sb.append('\n');
        for (SkippedCandidate s : skipped) {
            sb.append("  skipped ").append(s).append('\n');
        }
        sb.append(parameterLine());
        return sb.toString();
    }
}
