package io.ortune.models.arch.nn;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.build.NameScope;

/**
 * Enters module scopes by their full PyTorch path ({@code model.layers.0.self_attn.q_proj}) whatever scope is open,
 * so a block can name its weights and its nodes from the same string.
 */
public final class Modules {

    private Modules() {
    }

    /**
     * Enters {@code fullPath}; the currently open scope must be {@code fullPath} itself or one of its ancestors
     * (the root included).
     */
    public static GraphBuilder.Scope enter(GraphBuilder b, String fullPath) {
        String target = "/" + String.join("/", NameScope.segments(fullPath));
        String current = b.names().prefix();
        if (current.isEmpty()) {
            return b.scope(fullPath);
        }
        if (target.equals(current)) {
            return b.scope("");
        }
        if (!target.startsWith(current + "/")) {
            throw new IllegalStateException("cannot enter module '" + fullPath + "' from scope '" + current
                    + "': it is not inside it");
        }
        return b.scope(target.substring(current.length() + 1));
    }
}
