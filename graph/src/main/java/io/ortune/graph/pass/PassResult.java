package io.ortune.graph.pass;

import io.ortune.graph.ir.Model;

import java.util.List;

/**
 * What a pass returns: the resulting model, whether it differs from the input, and human-readable messages about
 * what was done ({@code "removed 12 dead nodes"}); a pass that changed nothing may still leave a note.
 */
public record PassResult(Model model, boolean changed, List<String> changes) {

    public PassResult {
        changes = List.copyOf(changes);
    }

    public static PassResult unchanged(Model model, String... notes) {
        return new PassResult(model, false, List.of(notes));
    }

    public static PassResult changed(Model model, String... changes) {
        return new PassResult(model, true, List.of(changes));
    }
}
