package io.ortune.graph.io;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.Function;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.StringData;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Unmodeled;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A complete, readable text form of a model: header, opsets, metadata, functions, and each graph's inputs,
 * initializers (type, dims, size and a content hash), nodes as {@code %out = Op(%a, %b) {attr=...}} with names,
 * domains and doc strings, outputs, value infos, unmodeled byte counts and hashes, subgraphs indented.
 *
 * <p>Two models print the same text exactly when they have the same structure, names, types, attributes,
 * documentation and kept bytes, and (with hashing on) the same tensor contents; this is how round-trip tests
 * compare IRs. Values are printed by name; a second, distinct value with a name already seen is printed
 * {@code %name#2}, so links to the wrong value show up even when names collide.
 */
public final class ModelPrinter {

    private final boolean hashTensorData;
    private final StringBuilder out = new StringBuilder();
    private final Map<Value, String> labels = new IdentityHashMap<>();
    private final Map<String, Integer> nameUses = new HashMap<>();

    private ModelPrinter(boolean hashTensorData) {
        this.hashTensorData = hashTensorData;
    }

    /** The full text, tensor contents hashed (reads all tensor data, external data included). */
    public static String print(Model model) {
        return print(model, true);
    }

    /** The full text; without hashing, tensor data is not read (only types, dims and sizes are shown). */
    public static String print(Model model, boolean hashTensorData) {
        ModelPrinter p = new ModelPrinter(hashTensorData);
        p.model(model);
        return p.out.toString();
    }

    /** One graph (and its subgraphs) on its own. */
    public static String print(Graph graph, boolean hashTensorData) {
        ModelPrinter p = new ModelPrinter(hashTensorData);
        p.graph(graph, "");
        return p.out.toString();
    }

    private void model(Model m) {
        out.append("model ir_version=").append(m.irVersion())
                .append(" producer=").append(quote(m.producerName()))
                .append(" producer_version=").append(quote(m.producerVersion()))
                .append(" domain=").append(quote(m.domain()))
                .append(" model_version=").append(m.modelVersion()).append('\n');
        out.append("  opsets ").append(m.opsetImports().entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + e.getValue()).collect(Collectors.joining(", "))).append('\n');
        extras("  ", m.docString(), m.metadataProps(), m.unmodeled());
        for (Function f : m.functions()) {
            out.append("  function ").append(quote(f.domain())).append("::").append(quote(f.name()))
                    .append(" overload=").append(quote(f.overload())).append(" proto=").append(bytes(f.proto()))
                    .append('\n');
        }
        graph(m.graph(), "");
    }

    private void graph(Graph g, String indent) {
        out.append(indent).append("graph ").append(quote(g.name())).append(" {\n");
        String in = indent + "  ";
        extras(in, g.docString(), g.metadataProps(), g.unmodeled());
        for (Value v : g.inputs()) {
            out.append(in).append("input ").append(label(v)).append(": ").append(type(v.type()))
                    .append(v.isInitializer() ? " (initializer)" : "").append(valueExtras(v)).append('\n');
        }
        for (Value v : g.initializers().values()) {
            out.append(in).append("initializer ").append(label(v)).append(" = ").append(tensor(v.constant()))
                    .append('\n');
        }
        for (Node n : g.nodes()) {
            node(n, in);
        }
        for (Value v : g.outputs()) {
            out.append(in).append("output ").append(label(v)).append(": ").append(type(v.type()))
                    .append(valueExtras(v)).append('\n');
        }
        for (Value v : g.valueInfos()) {
            out.append(in).append("value_info ").append(label(v)).append(": ").append(type(v.type()))
                    .append(valueExtras(v)).append('\n');
        }
        out.append(indent).append("}\n");
    }

    private void node(Node n, String indent) {
        List<String> outs = new ArrayList<>();
        for (Value v : n.outputs()) {
            outs.add(label(v));
        }
        List<String> ins = new ArrayList<>();
        for (Value v : n.inputs()) {
            ins.add(v == null ? "_" : label(v));
        }
        out.append(indent).append(String.join(", ", outs)).append(" = ")
                .append(n.domain().isEmpty() ? "" : n.domain() + "::").append(n.opType())
                .append('(').append(String.join(", ", ins)).append(')');
        if (!n.name().isEmpty()) {
            out.append(" name=").append(quote(n.name()));
        }
        if (!n.overload().isEmpty()) {
            out.append(" overload=").append(quote(n.overload()));
        }
        List<String> attrs = new ArrayList<>();
        for (Attribute a : n.attributes().values()) {
            attrs.add(a.name() + "=" + attribute(a));
        }
        if (!attrs.isEmpty()) {
            out.append(" {").append(String.join(", ", attrs)).append('}');
        }
        out.append('\n');
        String in = indent + "    ";
        extras(in, n.docString(), n.metadataProps(), n.unmodeled());
        for (Attribute a : n.attributes().values()) {
            if (a instanceof Attribute.GraphAttr g) {
                out.append(in).append(a.name()).append(":\n");
                graph(g.value(), in + "  ");
            } else if (a instanceof Attribute.GraphsAttr gs) {
                for (int i = 0; i < gs.values().size(); i++) {
                    out.append(in).append(a.name()).append('[').append(i).append("]:\n");
                    graph(gs.values().get(i), in + "  ");
                }
            }
        }
    }

    private String attribute(Attribute a) {
        if (a instanceof Attribute.FloatAttr f) {
            return Float.toString(f.value());
        } else if (a instanceof Attribute.IntAttr i) {
            return Long.toString(i.value());
        } else if (a instanceof Attribute.StringAttr s) {
            return quote(s.value());
        } else if (a instanceof Attribute.TensorAttr t) {
            return "tensor(" + tensor(t.value()) + ")";
        } else if (a instanceof Attribute.GraphAttr g) {
            return "graph " + quote(g.value().name());
        } else if (a instanceof Attribute.TypeAttr t) {
            return "type " + type(t.value());
        } else if (a instanceof Attribute.SparseTensorAttr s) {
            return "sparse(" + bytes(s.proto()) + ")";
        } else if (a instanceof Attribute.FloatsAttr f) {
            return f.values().stream().map(Object::toString).collect(Collectors.joining(", ", "[", "]"));
        } else if (a instanceof Attribute.IntsAttr i) {
            return i.values().stream().map(Object::toString).collect(Collectors.joining(", ", "[", "]"));
        } else if (a instanceof Attribute.StringsAttr s) {
            return s.values().stream().map(ModelPrinter::quote).collect(Collectors.joining(", ", "[", "]"));
        } else if (a instanceof Attribute.TensorsAttr t) {
            return t.values().stream().map(x -> "tensor(" + tensor(x) + ")").collect(Collectors.joining(", ", "[", "]"));
        } else if (a instanceof Attribute.GraphsAttr g) {
            return g.values().stream().map(x -> "graph " + quote(x.name())).collect(Collectors.joining(", ", "[", "]"));
        } else if (a instanceof Attribute.TypesAttr t) {
            return t.values().stream().map(ModelPrinter::type).collect(Collectors.joining(", ", "[", "]"));
        } else if (a instanceof Attribute.SparseTensorsAttr s) {
            return s.protos().stream().map(x -> "sparse(" + bytes(x) + ")").collect(Collectors.joining(", ", "[", "]"));
        } else if (a instanceof Attribute.RefAttr r) {
            return "@" + r.refName() + " (kind " + r.kind() + ")";
        }
        return a.toString();
    }

    private String label(Value v) {
        return labels.computeIfAbsent(v, x -> {
            int n = nameUses.merge(x.name(), 1, Integer::sum);
            return "%" + x.name() + (n == 1 ? "" : "#" + n);
        });
    }

    private String tensor(Tensor t) {
        StringBuilder s = new StringBuilder(t.dtype().onnxName());
        s.append(Arrays.toString(t.dims()).replace(" ", ""));
        s.append(' ').append(t.byteSize()).append(" bytes");
        if (hashTensorData) {
            s.append(" #").append(contentHash(t));
        }
        s.append(" name=").append(quote(t.name()));
        if (!t.docString().isEmpty()) {
            s.append(" doc=").append(quote(t.docString()));
        }
        if (!t.unmodeled().isEmpty()) {
            s.append(" unmodeled=").append(bytes(t.unmodeled()));
        }
        return s.toString();
    }

    private static String valueExtras(Value v) {
        return (v.docString().isEmpty() ? "" : " doc=" + quote(v.docString()))
                + (v.unmodeled().isEmpty() ? "" : " unmodeled=" + bytes(v.unmodeled()));
    }

    private void extras(String indent, String doc, Map<String, String> props, Unmodeled unmodeled) {
        if (!doc.isEmpty()) {
            out.append(indent).append("doc ").append(quote(doc)).append('\n');
        }
        for (Map.Entry<String, String> e : props.entrySet()) {
            out.append(indent).append("metadata ").append(quote(e.getKey())).append('=').append(quote(e.getValue()))
                    .append('\n');
        }
        if (!unmodeled.isEmpty()) {
            out.append(indent).append("unmodeled ").append(bytes(unmodeled)).append('\n');
        }
    }

    /** A type in ONNX-like spelling; an absent shape and an unknown rank both print {@code [*]}. */
    static String type(ValueType t) {
        if (t == null) {
            return "?";
        } else if (t instanceof ValueType.TensorType tt) {
            return tt.elementType().onnxName() + (tt.shape() == null ? "[*]" : tt.shape().toString());
        } else if (t instanceof ValueType.SparseTensorType st) {
            return "sparse(" + st.elementType().onnxName() + (st.shape() == null ? "[*]" : st.shape().toString()) + ")";
        } else if (t instanceof ValueType.SequenceType sq) {
            return "seq(" + type(sq.elementType()) + ")";
        } else if (t instanceof ValueType.OptionalType op) {
            return "optional(" + type(op.elementType()) + ")";
        } else if (t instanceof ValueType.MapType mt) {
            return "map(" + mt.keyType().onnxName() + "," + type(mt.valueType()) + ")";
        }
        return t.toString();
    }

    private static String bytes(Unmodeled u) {
        return u.size() + " bytes #" + hex(sha256().digest(u.bytes()));
    }

    /** SHA-256 of the tensor's bytes (strings: each length-prefixed), first 16 hex digits. */
    static String contentHash(Tensor t) {
        MessageDigest md = sha256();
        if (t.data() instanceof StringData s) {
            for (byte[] str : s.strings()) {
                md.update(ByteBuffer.allocate(8).putLong(str.length).array());
                md.update(str);
            }
        } else {
            try {
                t.data().writeTo(new DigestChannel(md));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the data of tensor '" + t.name() + "'", e);
            }
        }
        return hex(md.digest());
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static String hex(byte[] digest) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            b.append(String.format("%02x", digest[i]));
        }
        return b.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Feeds streamed tensor bytes into a digest. */
    private static final class DigestChannel implements WritableByteChannel {
        private final MessageDigest md;

        DigestChannel(MessageDigest md) {
            this.md = md;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            md.update(src);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
