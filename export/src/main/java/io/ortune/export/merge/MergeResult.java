package io.ortune.export.merge;

import io.ortune.graph.ir.Model;

/**
 * A merged model and what the merge did.
 *
 * @param model  the merged model (the input model is never changed)
 * @param report adapters folded and refused, modules changed, max |ΔW|
 */
public record MergeResult(Model model, MergeReport report) { }
