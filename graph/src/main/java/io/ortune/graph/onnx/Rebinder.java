package io.ortune.graph.onnx;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.BufferData;
import io.ortune.graph.ir.FileRegionData;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.TensorData;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps an in-memory model valid when it is saved over the external data file its own tensors lazily read
 * (load, change, save in place). Before the old file is replaced, every tensor reading it gets new data: its
 * region in the new file when it was written there, else a heap copy (it was small enough to be inline). After the
 * commit the model's tensors are swapped for these.
 */
final class Rebinder {

    private final Map<Tensor, TensorData> replacement = new IdentityHashMap<>();
    private final Path replaced;
    private final Map<Path, Boolean> sameFile = new HashMap<>();

    private Rebinder(Path replaced) {
        this.replaced = replaced;
    }

    /** Plans the swap; null when no tensor of the model reads {@code replacedFile}. */
    static Rebinder plan(Graph main, Path replacedFile, Map<Tensor, FileRegionData> written) throws IOException {
        if (!Files.exists(replacedFile)) {
            return null;
        }
        Rebinder r = new Rebinder(replacedFile);
        for (Tensor t : tensors(main)) {
            if (t.data() instanceof FileRegionData f && r.isReplaced(f.file())) {
                FileRegionData region = written.get(t);
                if (region != null) {
                    r.replacement.put(t, region);
                } else {
                    ByteBuffer copy = ByteBuffer.allocate(Math.toIntExact(f.length()));
                    copy.put(f.read()).flip();
                    r.replacement.put(t, new BufferData(copy));
                }
            }
        }
        return r.replacement.isEmpty() ? null : r;
    }

    /** Swaps the planned tensors into the model. */
    void apply(Graph g) {
        for (Value v : List.copyOf(g.initializers().values())) {
            TensorData d = replacement.get(v.constant());
            if (d != null) {
                ValueType type = v.type();
                g.setInitializerTensor(v, swapped(v.constant(), d));
                v.setType(type);
            }
        }
        for (Node n : g.nodes()) {
            for (Attribute a : List.copyOf(n.attributes().values())) {
                if (a instanceof Attribute.TensorAttr t && replacement.containsKey(t.value())) {
                    n.setAttribute(new Attribute.TensorAttr(t.name(), swapped(t.value(), replacement.get(t.value()))));
                } else if (a instanceof Attribute.TensorsAttr ts) {
                    List<Tensor> out = new ArrayList<>();
                    for (Tensor t : ts.values()) {
                        TensorData d = replacement.get(t);
                        out.add(d == null ? t : swapped(t, d));
                    }
                    n.setAttribute(new Attribute.TensorsAttr(ts.name(), out));
                }
            }
            for (Graph sub : n.subgraphs()) {
                apply(sub);
            }
        }
    }

    private static Tensor swapped(Tensor t, TensorData d) {
        return t.withData(t.dtype(), t.dims(), d);
    }

    private boolean isReplaced(Path file) {
        return sameFile.computeIfAbsent(file, f -> {
            try {
                return Files.exists(f) && Files.isSameFile(f, replaced);
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Every tensor of a graph and its subgraphs: initializers and attribute values. */
    static List<Tensor> tensors(Graph g) {
        List<Tensor> out = new ArrayList<>();
        collect(g, out);
        return out;
    }

    private static void collect(Graph g, List<Tensor> out) {
        for (Value v : g.initializers().values()) {
            out.add(v.constant());
        }
        for (Node n : g.nodes()) {
            for (Attribute a : n.attributes().values()) {
                if (a instanceof Attribute.TensorAttr t) {
                    out.add(t.value());
                } else if (a instanceof Attribute.TensorsAttr ts) {
                    out.addAll(ts.values());
                }
            }
            for (Graph sub : n.subgraphs()) {
                collect(sub, out);
            }
        }
    }
}
