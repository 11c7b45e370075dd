package io.ortune.graph.inspect;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.FileRegionData;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code ortune inspect} reports about a model: signature, opsets, parameters by dtype, op histogram and
 * external data files. Parameters are counted by {@link Parameters}' definition (subgraphs included); every other
 * tensor (scalars, integer shapes and indices, tensors in node attributes) is counted under {@code constants}.
 */
public record ModelSummary(
        long irVersion,
        Map<String, Long> opsets,
        String producer,
        List<Io> inputs,
        List<Io> outputs,
        Map<DataType, Params> parametersByType,
        Params constants,
        Map<String, Integer> opHistogram,
        int nodeCount,
        Map<String, Long> externalDataFiles,
        Map<String, String> metadata) {

    /** One graph input or output. */
    public record Io(String name, String type) { }

    /** Parameter count and bytes of one element type. */
    public record Params(long tensors, long elements, long bytes) {
        Params plus(Tensor t) {
            return new Params(tensors + 1, elements + t.elementCount(), bytes + t.byteSize());
        }
    }

    public static ModelSummary of(Model model) {
        Graph g = model.graph();
        List<Io> ins = new ArrayList<>();
        for (Value v : g.inputs()) {
            if (!v.isInitializer()) {
                ins.add(new Io(v.name(), describe(v)));
            }
        }
        List<Io> outs = new ArrayList<>();
        for (Value v : g.outputs()) {
            outs.add(new Io(v.name(), describe(v)));
        }
        Accumulator acc = new Accumulator();
        acc.visit(g);
        String producer = (model.producerName() + " " + model.producerVersion()).trim();
        return new ModelSummary(model.irVersion(), Map.copyOf(model.opsetImports()), producer, ins, outs,
                acc.params, acc.constants, acc.ops, acc.nodes, acc.external, Map.copyOf(model.metadataProps()));
    }

    /** Elements of the parameters ({@link Parameters#count} of the model). */
    public long parameterCount() {
        return parametersByType.values().stream().mapToLong(Params::elements).sum();
    }

    public long parameterBytes() {
        return parametersByType.values().stream().mapToLong(Params::bytes).sum();
    }

    private static String describe(Value v) {
        return v.type() == null ? "?" : v.type().toString();
    }

    /** Walks a graph and its subgraphs. */
    private static final class Accumulator {
        final Map<DataType, Params> params = new EnumMap<>(DataType.class);
        Params constants = new Params(0, 0, 0);
        final Map<String, Integer> ops = new TreeMap<>();
        final Map<String, Long> external = new TreeMap<>();
        int nodes;

        void visit(Graph g) {
            for (Value init : g.initializers().values()) {
                if (Parameters.isParameter(init.constant())) {
                    tensor(init.constant());
                } else {
                    constant(init.constant());
                }
            }
            for (Node n : g.nodes()) {
                nodes++;
                String key = n.domain().isEmpty() || n.domain().equals("ai.onnx")
                        ? n.opType() : n.domain() + "::" + n.opType();
                ops.merge(key, 1, Integer::sum);
                for (Attribute a : n.attributes().values()) {
                    if (a instanceof Attribute.TensorAttr t) {
                        constant(t.value());
                    }
                }
                for (Graph sub : n.subgraphs()) {
                    visit(sub);
                }
            }
        }

        void constant(Tensor t) {
            constants = constants.plus(t);
            external(t);
        }

        void external(Tensor t) {
            if (t.data() instanceof FileRegionData f) {
                external.merge(f.location(), f.length(), Long::sum);
            }
        }

        void tensor(Tensor t) {
            params.merge(t.dtype(), new Params(0, 0, 0).plus(t), (a, b) -> a.plus(t));
            external(t);
        }
    }
}
