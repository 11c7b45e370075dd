package io.ortune.graph.peft;

/**
 * A node a rewrite considered and left alone, with the reason
 * ({@code lm_head: output head tied to the embedding}).
 *
 * @param module module path, or {@code node:<name>}
 * @param node   the node's name
 * @param reason why it was not rewritten, in words a user can act on
 */
public record SkippedCandidate(String module, String node, String reason) {

    @Override
    public String toString() {
        return module + ": " + reason;
    }
}
