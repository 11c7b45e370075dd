package io.ortune.export.hotswap;

import io.ortune.export.adapter.AdapterException;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.runtime.ValueInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an {@code .onnx_adapter} against the graph it is to be activated on, before any run: every parameter must
 * name an overridable graph input (an input with an initializer default) of the same element type and shape. A
 * graph input the adapter does not set keeps its default for the run. Every problem is listed, naming the
 * parameter, what the graph expects and what the file holds.
 */
public final class HotSwapChecks {

    private HotSwapChecks() {
    }

    /** Checks {@code adapter} (from {@code source}) against the hot-swap model {@code graph}. */
    public static void check(OnnxAdapter adapter, String source, Model graph, String graphLabel) {
        List<ValueInfo> inputs = new ArrayList<>();
        for (Value v : graph.graph().inputs()) {
            if (v.isInitializer()) {
                Tensor t = v.constant();
                inputs.add(new ValueInfo(v.name(), ValueInfo.Kind.TENSOR, t.dtype(), Shape.ofLongs(t.dims())));
            }
        }
        List<String> issues = issues(adapter, inputs);
        String signature = graph.metadataProps().get(HotSwapGraph.SIGNATURE);
        if (issues.isEmpty() && signature != null && adapter.modelVersion() != 0
                && adapter.modelVersion() != Integer.parseInt(signature)) {
            issues.add("model_version " + adapter.modelVersion() + " is the signature of another hot-swap graph "
                    + "(this one's is " + signature + "); its tensors fit, but check it was made for this base");
        }
        throwIf(issues, source, graphLabel);
    }

    /** Checks {@code adapter} against a session's overridable initializers ({@code overridableInitializers()}). */
    public static void check(OnnxAdapter adapter, String source, List<ValueInfo> overridable, String graphLabel) {
        throwIf(issues(adapter, overridable), source, graphLabel);
    }

    private static void throwIf(List<String> issues, String source, String graphLabel) {
        if (!issues.isEmpty()) {
            throw new AdapterException(source + " (for " + graphLabel + ")", issues);
        }
    }

    static List<String> issues(OnnxAdapter adapter, List<ValueInfo> overridable) {
        Map<String, ValueInfo> byName = new LinkedHashMap<>();
        for (ValueInfo v : overridable) {
            byName.put(v.name(), v);
        }
        List<String> issues = new ArrayList<>();
        if (byName.isEmpty()) {
            issues.add("the graph has no inputs with initializer defaults, so no adapter can set anything; make a "
                    + "hot-swap graph with 'ortune adapters attach --hot-swap' (HotSwapGraph.make)");
            return issues;
        }
        int unknown = 0;
        for (Tensor p : adapter.parameters()) {
            ValueInfo v = byName.get(p.name());
            if (v == null) {
                if (unknown++ < 5) {
                    issues.add("parameter '" + p.name() + "' is not an overridable input of the graph (it has "
                            + byName.size() + ", e.g. '" + byName.keySet().iterator().next() + "')");
                }
                continue;
            }
            if (v.elementType() != p.dtype()) {
                issues.add("parameter '" + p.name() + "' is " + p.dtype().onnxName() + "; the graph input is "
                        + v.elementType().onnxName());
            } else if (!Arrays.equals(v.dims(), p.dims())) {
                issues.add("parameter '" + p.name() + "' has shape " + Arrays.toString(p.dims())
                        + "; the graph input has " + Arrays.toString(v.dims()));
            }
        }
        if (unknown > 5) {
            issues.add("... and " + (unknown - 5) + " more parameters the graph does not have");
        }
        return issues;
    }
}
