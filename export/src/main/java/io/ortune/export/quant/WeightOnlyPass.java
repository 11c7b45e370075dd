package io.ortune.export.quant;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.analysis.TopologicalSort;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.LinearSite;

import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites each linear layer into one ONNX Runtime contrib op with quantized weights and float activations:
 * dynamic int8 ({@code com.microsoft DynamicQuantizeMatMul}: B int8 {@code [K, N]}, one scale per column,
 * activations quantized at run time) or int4 ({@code com.microsoft MatMulNBits}: B {@code [N, K/block, block/2]},
 * a scale per block, zero points when asked, {@code accuracy_level}). A Gemm's bias is kept (DynamicQuantizeMatMul's
 * bias input, an Add after MatMulNBits); a Gemm with transA or alpha/beta ≠ 1 is skipped with the reason.
 */
public final class WeightOnlyPass {

    static final String MS = "com.microsoft";

    private WeightOnlyPass() {
    }

    /** The rewritten model ({@link QuantMode#INT8_DYNAMIC} or {@link QuantMode#INT4_WEIGHTS}). */
    public static QuantResult apply(Model model, QuantSettings s) {
        if (s.mode() == QuantMode.INT8_STATIC) {
            throw new IllegalArgumentException("static int8 is QdqPass's; WeightOnlyPass does dynamic int8 and int4");
        }
        Model out = GraphCopier.copy(model);
        Graph g = out.graph();
        List<Skipped> skipped = new ArrayList<>();
        List<LinearSite> sites = QdqPlacement.usableSites(g, s, skipped, "model");
        QuantEdits e = new QuantEdits(g);
        List<String> done = new ArrayList<>();
        for (LinearSite site : sites) {
            if (!QuantEdits.plain(site)) {
                skipped.add(new Skipped(site.module(), "Gemm with transA or alpha/beta ≠ 1; left float"));
                continue;
            }
            Value y = s.mode() == QuantMode.INT8_DYNAMIC ? dynamic(e, site) : int4(e, site, s);
            e.replace(site.node(), y);
            e.dropUnused(site);
            done.add(site.module());
        }
        List<String> notes = new ArrayList<>();
        if (!out.opsetImports().containsKey(MS)) {
            out.opsetImports().put(MS, 1L);
            notes.add("imported domain com.microsoft v1");
        }
        TopologicalSort.sort(g);
        return new QuantResult(out, s.mode(), null, done, List.of(), skipped, notes);
    }

    private static Value gemmBias(LinearSite site) {
        Node n = site.node();
        return n.is("Gemm") && n.inputCount() > 2 ? n.input(2) : null;
    }

    private static Value dynamic(QuantEdits e, LinearSite site) {
        int n = (int) site.outFeatures();
        int k = (int) site.inFeatures();
        float[] nk = QuantEdits.outIn(site);
        WeightQuant.Int8 q = WeightQuant.int8PerChannel(nk, n, k, 0);
        byte[] kn = new byte[nk.length];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < k; c++) {
                kn[c * n + r] = q.codes()[r * k + c];
            }
        }
        String base = site.weight().name();
        Value b = e.initializer(base + "_quantized", DataType.INT8, new long[] {k, n}, kn);
        Value scale = e.floats(base + "_scale", new long[] {n}, q.scales());
        List<Value> in = new ArrayList<>(List.of(site.input(), b, scale));
        Value bias = gemmBias(site);
        if (bias != null) {
            in.add(null);
            in.add(bias);
        }
        return e.node("DynamicQuantizeMatMul", MS, in, site.node().output().name() + "_dq", DataType.FLOAT, null);
    }

    private static Value int4(QuantEdits e, LinearSite site, QuantSettings s) {
        int n = (int) site.outFeatures();
        int k = (int) site.inFeatures();
        int block = s.blockSize();
        WeightQuant.Int4 q = WeightQuant.int4Blocks(QuantEdits.outIn(site), n, k, block, s.zeroPoints());
        String base = site.weight().name();
        Value b = e.initializer(base + "_q4", DataType.UINT8, new long[] {n, q.blocks(), block / 2}, q.packed());
        Value scales = e.floats(base + "_scales", new long[] {(long) n * q.blocks()}, q.scales());
        List<Value> in = new ArrayList<>(List.of(site.input(), b, scales));
        if (q.zeroPoints() != null) {
            in.add(e.initializer(base + "_zero_points", DataType.UINT8, new long[] {q.zeroPoints().length},
                    q.zeroPoints()));
        }
        Value y = e.node("MatMulNBits", MS, in, site.node().output().name() + "_q4", DataType.FLOAT, null,
                new Attribute.IntAttr("K", k), new Attribute.IntAttr("N", n), new Attribute.IntAttr("bits", 4),
                new Attribute.IntAttr("block_size", block),
                new Attribute.IntAttr("accuracy_level", s.accuracyLevel()));
        Value bias = gemmBias(site);
        return bias == null ? y : e.node("Add", "", List.of(y, bias), y.name() + "_bias", DataType.FLOAT,
                (Shape) null);
    }
}
