package io.ortune.export.quant;

/**
 * A candidate left float, with the reason.
 *
 * @param name   module path, node or tensor name
 * @param reason why it was left out
 */
public record Skipped(String name, String reason) {
    @Override
    public String toString() {
        return name + ": " + reason;
    }
}
