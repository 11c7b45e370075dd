package io.ortune.graph.ir;

import java.util.List;

/**
 * A node attribute, one record per ONNX attribute kind. Lists are immutable copies.
 * {@link RefAttr} is a reference to an attribute of the enclosing function (only inside function bodies).
 */
public sealed interface Attribute {

    String name();

    record FloatAttr(String name, float value) implements Attribute { }

    record IntAttr(String name, long value) implements Attribute { }

    record StringAttr(String name, String value) implements Attribute { }

    record TensorAttr(String name, Tensor value) implements Attribute { }

    record GraphAttr(String name, Graph value) implements Attribute { }

    record TypeAttr(String name, ValueType value) implements Attribute { }

    /** A sparse tensor, kept as its serialized proto: ortune never interprets one. */
    record SparseTensorAttr(String name, Unmodeled proto) implements Attribute { }

    record FloatsAttr(String name, List<Float> values) implements Attribute {
        public FloatsAttr {
            values = List.copyOf(values);
        }
    }

    record IntsAttr(String name, List<Long> values) implements Attribute {
        public IntsAttr {
            values = List.copyOf(values);
        }

        public long[] toArray() {
            return values.stream().mapToLong(Long::longValue).toArray();
        }
    }

    record StringsAttr(String name, List<String> values) implements Attribute {
        public StringsAttr {
            values = List.copyOf(values);
        }
    }

    record TensorsAttr(String name, List<Tensor> values) implements Attribute {
        public TensorsAttr {
            values = List.copyOf(values);
        }
    }

    record GraphsAttr(String name, List<Graph> values) implements Attribute {
        public GraphsAttr {
            values = List.copyOf(values);
        }
    }

    record TypesAttr(String name, List<ValueType> values) implements Attribute {
        public TypesAttr {
            values = List.copyOf(values);
        }
    }

    record SparseTensorsAttr(String name, List<Unmodeled> protos) implements Attribute {
        public SparseTensorsAttr {
            protos = List.copyOf(protos);
        }
    }

    /**
     * Inside a function body: this attribute takes the value of the calling node's attribute {@code refName}.
     * {@code kind} is the ONNX {@code AttributeType} number.
     */
    record RefAttr(String name, String refName, int kind) implements Attribute { }

    static IntsAttr ints(String name, long... values) {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return new IntsAttr(name, List.of(boxed));
    }

    static FloatsAttr floats(String name, float... values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return new FloatsAttr(name, List.of(boxed));
    }
}
