package io.ortune.graph.peft;

import io.ortune.graph.ir.Model;

import java.util.Objects;

/**
 * What an injection returns: the new model (the input is left unchanged) and the report of what was done.
 *
 * @param model  the model with the adapter injected
 * @param report modules injected and skipped, and PEFT's parameter line
 */
public record Injection(Model model, InjectionReport report) {

    public Injection {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(report, "report");
    }
}
