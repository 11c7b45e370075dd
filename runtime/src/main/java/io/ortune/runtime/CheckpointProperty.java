package io.ortune.runtime;

import java.util.Objects;

/** A value in a training checkpoint's property bag: ONNX Runtime stores 64-bit ints, floats and strings. */
public sealed interface CheckpointProperty {

    /** ONNX Runtime's {@code OrtPropertyType} number. */
    int ortType();

    /** An {@code OrtIntProperty}. */
    record IntValue(long value) implements CheckpointProperty {
        @Override
        public int ortType() {
            return 0;
        }
    }

    /** An {@code OrtFloatProperty}. */
    record FloatValue(float value) implements CheckpointProperty {
        @Override
        public int ortType() {
            return 1;
        }
    }

    /** An {@code OrtStringProperty}; ONNX Runtime keeps it as a C string, so it cannot contain NUL characters. */
    record StringValue(String value) implements CheckpointProperty {
        public StringValue {
            Objects.requireNonNull(value, "value");
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("checkpoint string properties cannot contain NUL characters");
            }
        }

        @Override
        public int ortType() {
            return 2;
        }
    }

    static CheckpointProperty of(long value) {
        return new IntValue(value);
    }

    static CheckpointProperty of(float value) {
        return new FloatValue(value);
    }

    static CheckpointProperty of(String value) {
        return new StringValue(value);
    }
}
