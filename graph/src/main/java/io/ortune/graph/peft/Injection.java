package io.ortune.graph.peft;

import io.ortune.graph.ir.Model;

/**
 * What an injection pass returns: the rewritten copy of the model and the report of what was injected.
 *
 * @param model  the new model (the input model is never changed)
 * @param report injected modules, skipped candidates with reasons, parameter counts
 */
public record Injection(Model model, InjectionReport report) {
}
