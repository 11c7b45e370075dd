package io.ortune.graph.ir;

/** One dimension of a shape: a known size, a named symbol ({@code batch}), or unknown. */
public sealed interface Dim {

    record Known(long size) implements Dim {
        public Known {
            if (size < 0) {
                throw new IllegalArgumentException("dimension size must be >= 0, got " + size);
            }
        }

        @Override
        public String toString() {
            return Long.toString(size);
        }
    }

    record Symbolic(String symbol) implements Dim {
        @Override
        public String toString() {
            return symbol;
        }
    }

    /** A dimension with neither value nor name (ONNX allows it; so does the ? in printouts). */
    record Unknown() implements Dim {
        @Override
        public String toString() {
            return "?";
        }
    }

    Unknown UNKNOWN = new Unknown();

    static Dim of(long size) {
        return new Known(size);
    }

    static Dim of(String symbol) {
        return new Symbolic(symbol);
    }

    default boolean isKnown() {
        return this instanceof Known;
    }
}
