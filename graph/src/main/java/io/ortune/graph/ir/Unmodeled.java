package io.ortune.graph.ir;

import java.util.Arrays;

/**
 * The serialized remainder of a protobuf message after the fields the IR models were taken out: unknown fields,
 * fields of newer ONNX versions, and fields ortune does not interpret (sparse initializers, training info,
 * quantization annotations...). The serializer starts from these bytes when writing, so a load/save cycle keeps
 * them. Opaque by design: passes never look inside.
 */
public record Unmodeled(byte[] bytes) {

    public static final Unmodeled NONE = new Unmodeled(new byte[0]);

    public Unmodeled {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    public int size() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Unmodeled u && Arrays.equals(bytes, u.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Unmodeled[" + bytes.length + " bytes]";
    }
}
