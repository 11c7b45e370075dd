package io.ortune.export.quant;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.analysis.TopologicalSort;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.LinearSite;
import io.ortune.graph.peft.WeightLayout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a {@link CalibrationPlan}: a QuantizeLinear → DequantizeLinear pair on each planned activation (per
 * tensor, the plan's scale and zero point) feeding the nodes {@link QdqPlacement} chose, and each linear layer's
 * weight stored as int8 per output channel behind a DequantizeLinear ({@code axis} the output-channel axis).
 * Needs opset ≥ 13 (per-axis DequantizeLinear).
 */
public final class QdqPass {

    private QdqPass() {
    }

    /** The QDQ model; the plan must cover exactly the activations the placement picks. */
    public static QuantResult apply(Model model, CalibrationPlan plan, QuantSettings s) {
        long opset = model.opsetVersion("");
        if (opset < 13) {
            throw new IllegalArgumentException("QDQ with per-channel weights needs opset ≥ 13, the model has "
                    + opset + "; run graph.pass.Opset13UpgradePass first (Quantizer does)");
        }
        Model out = GraphCopier.copy(model);
        Graph g = out.graph();
        QdqPlacement p = QdqPlacement.of(g, s.withTarget(plan.target()), "model");
        checkCovers(p, plan);
        QuantEdits edits = new QuantEdits(g);
        Set<Node> weighted = new HashSet<>();
        Set<Node> residualAdds = new HashSet<>();
        for (LinearSite site : p.weights()) {
            weighted.add(site.node());
            site.output().uses().stream().map(Value.Use::node).filter(n -> n.is("Add")).forEach(residualAdds::add);
        }
        Map<String, Value> byName = Calibrator.valuesByName(g);
        for (String name : p.activations()) {
            quantizeActivation(edits, byName.get(name), plan.range(name).orElseThrow(), weighted, residualAdds, s,
                    plan.target());
        }
        List<String> weights = new ArrayList<>();
        Map<Value, Value> done = new IdentityHashMap<>();
        for (LinearSite site : p.weights()) {
            Value dq = done.computeIfAbsent(site.weight(), w -> dequantizedWeight(edits, site));
            Node reader = site.transpose() != null ? site.transpose() : site.node();
            for (int i = 0; i < reader.inputCount(); i++) {
                if (reader.input(i) == site.weight()) {
                    reader.setInput(i, dq);
                }
            }
            edits.dropUnused(site);
            weights.add(site.module());
        }
        TopologicalSort.sort(g);
        return new QuantResult(out, QuantMode.INT8_STATIC, plan, weights, p.activations(), p.skipped(), List.of());
    }

    private static void checkCovers(QdqPlacement p, CalibrationPlan plan) {
        for (String a : p.activations()) {
            if (plan.range(a).isEmpty()) {
                throw new IllegalArgumentException("the calibration plan has no range for activation '" + a
                        + "' (a plan made for another model, target or --exclude list?)");
            }
        }
        for (TensorRange r : plan.tensors()) {
            if (!p.activations().contains(r.tensor())) {
                throw new IllegalArgumentException("the calibration plan's tensor '" + r.tensor() + "' is not an "
                        + "activation this model quantizes (a plan made for another model or target?)");
            }
        }
    }

    private static void quantizeActivation(QuantEdits e, Value v, TensorRange r, Set<Node> weighted,
                                           Set<Node> residualAdds, QuantSettings s, QuantTarget target) {
        DataType qt = r.dtype().equals("int8") ? DataType.INT8 : DataType.UINT8;
        Value scale = e.floats(v.name() + "_scale", new long[0], r.scale());
        Value zp = e.initializer(v.name() + "_zero_point", qt, new long[0], new byte[] {(byte) r.zeroPoint()});
        List<Value.Use> uses = List.copyOf(v.uses());
        Value q = e.node("QuantizeLinear", "", List.of(v, scale, zp), v.name() + "_quantized", qt, v.shape());
        Value dq = e.node("DequantizeLinear", "", List.of(q, scale, zp), v.name() + "_dequantized", DataType.FLOAT,
                v.shape());
        for (Value.Use u : uses) {
            if (readsQuantized(u.node(), weighted, residualAdds, s, target)) {
                u.node().setInput(u.inputIndex(), dq);
            }
        }
    }

    private static boolean readsQuantized(Node n, Set<Node> weighted, Set<Node> residualAdds, QuantSettings s,
                                          QuantTarget target) {
        if (weighted.contains(n)) {
            return true;
        }
        return target == QuantTarget.TENSORRT && (n.is("MatMul") || residualAdds.contains(n))
                && !s.excluded(n.name());
    }

    private static Value dequantizedWeight(QuantEdits e, LinearSite site) {
        long[] dims = site.weight().constant().dims();
        int rows = (int) dims[0];
        int cols = (int) dims[1];
        boolean outIn = site.layout() == WeightLayout.OUT_IN;
        int axis = outIn ? 0 : 1;
        WeightQuant.Int8 q = WeightQuant.int8PerChannel(site.weight().constant().toFloats(), rows, cols, axis);
        String base = site.weight().name();
        Value codes = e.initializer(base + "_quantized", DataType.INT8, dims, q.codes());
        long channels = q.scales().length;
        Value scale = e.floats(base + "_scale", new long[] {channels}, q.scales());
        Value zp = e.initializer(base + "_zero_point", DataType.INT8, new long[] {channels}, new byte[(int) channels]);
        return e.node("DequantizeLinear", "", List.of(codes, scale, zp), base + "_dequantized", DataType.FLOAT,
                site.weight().shape(), new Attribute.IntAttr("axis", axis));
    }
}
