package io.ortune.training.artifacts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The user properties of a training checkpoint: named 64-bit integers, 32-bit floats and strings, as ONNX
 * Runtime's {@code PropertyBag} holds them. A name has one value of one kind. Immutable; change it through
 * {@link #toBuilder()}.
 */
public final class PropertyBag {

    /** A bag with no properties. */
    public static final PropertyBag EMPTY = new Builder().build();

    private final Map<String, Long> ints;
    private final Map<String, Float> floats;
    private final Map<String, String> strings;

    private PropertyBag(Builder b) {
        this.ints = Collections.unmodifiableMap(new LinkedHashMap<>(b.ints));
        this.floats = Collections.unmodifiableMap(new LinkedHashMap<>(b.floats));
        this.strings = Collections.unmodifiableMap(new LinkedHashMap<>(b.strings));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.ints.putAll(ints);
        b.floats.putAll(floats);
        b.strings.putAll(strings);
        return b;
    }

    /** Integer properties in insertion order. */
    public Map<String, Long> ints() {
        return ints;
    }

    /** Float properties in insertion order. */
    public Map<String, Float> floats() {
        return floats;
    }

    /** String properties in insertion order. */
    public Map<String, String> strings() {
        return strings;
    }

    public Optional<Long> getInt(String name) {
        return Optional.ofNullable(ints.get(name));
    }

    public Optional<Float> getFloat(String name) {
        return Optional.ofNullable(floats.get(name));
    }

    public Optional<String> getString(String name) {
        return Optional.ofNullable(strings.get(name));
    }

    public boolean isEmpty() {
        return ints.isEmpty() && floats.isEmpty() && strings.isEmpty();
    }

    public int size() {
        return ints.size() + floats.size() + strings.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PropertyBag p && ints.equals(p.ints) && floats.equals(p.floats)
                && strings.equals(p.strings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ints, floats, strings);
    }

    @Override
    public String toString() {
        return "PropertyBag{ints=" + ints + ", floats=" + floats + ", strings=" + strings + "}";
    }

    /** Collects properties; putting a name again replaces its value, whatever the kind. */
    public static final class Builder {
        private final LinkedHashMap<String, Long> ints = new LinkedHashMap<>();
        private final LinkedHashMap<String, Float> floats = new LinkedHashMap<>();
        private final LinkedHashMap<String, String> strings = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder putInt(String name, long value) {
            remove(name);
            ints.put(name, value);
            return this;
        }

        public Builder putFloat(String name, float value) {
            remove(name);
            floats.put(name, value);
            return this;
        }

        public Builder putString(String name, String value) {
            Objects.requireNonNull(value, "value of property '" + name + "'");
            remove(name);
            strings.put(name, value);
            return this;
        }

        public Builder putAll(PropertyBag other) {
            other.ints.forEach(this::putInt);
            other.floats.forEach(this::putFloat);
            other.strings.forEach(this::putString);
            return this;
        }

        public Builder remove(String name) {
            Objects.requireNonNull(name, "property name");
            ints.remove(name);
            floats.remove(name);
            strings.remove(name);
            return this;
        }

        public PropertyBag build() {
            return new PropertyBag(this);
        }
    }
}
