package io.ortune.training.qlora;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.analysis.TopologicalSort;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.pass.Pass;
import io.ortune.graph.pass.PassResult;
import io.ortune.graph.peft.LinearMatcher;
import io.ortune.graph.peft.LinearSite;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.SkippedCandidate;
import io.ortune.graph.peft.WeightLayout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Replaces the frozen linear layers of the transformer blocks by {@code com.microsoft.MatMulBnb4} over NF4 codes
 * ({@link Nf4}): QLoRA's base model. Embeddings, norms and the output head stay float (the head unless
 * {@link Nf4Config#includeHead}); so do weights recorded as trainable ({@link PeftMetadata#TRAINABLE}: inject
 * LoRA first, then quantize), weights tied to an embedding and weights shared by several layers. Each weight is
 * converted on its own (one float copy at a time). A bias Add after the MatMul stays as it is.
 *
 * <p>New initializers per weight {@code W}: {@code W.nf4} (uint8 codes), and {@code W.absmax} (float32) or, with
 * double quantization, {@code W.absmax_codes} (uint8), {@code W.absmax_scales} (float32) and
 * {@code W.absmax_offset} (float32 scalar) with the scales dequantized in the graph. Records
 * {@value #METADATA} = {@code block_size=64;double_quant=false} on the model.
 *
 * <p>On CPU, {@code MatMulBnb4} dequantizes the whole weight on every call: fast at training shapes, ~4× slower
 * than float at decoding (M = 1). An NF4 model is for training; deploy a CPU model as int4 ({@code MatMulNBits})
 * or int8 instead.
 */
public final class Nf4QuantizePass implements Pass {

    public static final String NAME = "nf4";
    public static final String METADATA = "ortune.quantization.nf4";

    /**
     * Comma-separated names of the quantized weights that the float model stored {@code [out, in]} (PyTorch
     * {@code nn.Linear}, read through a Transpose or {@code Gemm transB=1}); the others were {@code [in, out]}. A
     * merge that dequantizes restores each weight in its own layout, so the merged model is shaped like the base.
     */
    public static final String OUT_IN_METADATA = "ortune.quantization.nf4.out_in";
    public static final String MS_DOMAIN = "com.microsoft";

    /** The quantized model and what was done. */
    public record Result(Model model, Nf4Report report) { }

    private final Nf4Config config;

    public Nf4QuantizePass(Nf4Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PassResult run(Model model) {
        Result r = quantize(model);
        return PassResult.changed(r.model(), r.report().summary());
    }

    /**
     * Quantizes a copy of {@code model}.
     *
     * @throws IllegalArgumentException when the model is NF4-quantized already or has no eligible linear layer (the
     *                                  message lists why each candidate was left out)
     */
    public Result quantize(Model model) {
        if (model.metadataProps().containsKey(METADATA) || hasBnb4(model.graph())) {
            throw new IllegalArgumentException("model '" + model.graph().name() + "' is NF4-quantized already");
        }
        Model m = GraphCopier.copy(model);
        Graph g = m.graph();
        Set<String> trainable = PeftMetadata.trainable(m).orElse(Set.of());
        List<SkippedCandidate> skipped = new ArrayList<>();
        List<LinearSite> chosen = new ArrayList<>();
        for (LinearSite s : LinearMatcher.find(g).sites()) {
            if (trainable.contains(s.weight().name())) {
                continue; // an adapter's own matrix, not a base layer
            }
            String why = reasonToSkip(s, trainable);
            if (why == null) {
                chosen.add(s);
            } else {
                skipped.add(new SkippedCandidate(s.module(), s.node().name(), why));
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("nothing to quantize in model '" + model.graph().name() + "': no "
                    + "eligible linear layer" + (skipped.isEmpty() ? "" : " (" + skipped + ")"));
        }
        GraphBuilder b = GraphBuilder.on(m);
        b.importDomain(MS_DOMAIN, 1);
        List<QuantErrorStats> stats = new ArrayList<>();
        long elements = 0;
        long stored = 0;
        List<String> outIn = new ArrayList<>();
        for (LinearSite s : chosen) {
            if (s.layout() == WeightLayout.OUT_IN) {
                outIn.add(s.weight().name());
            }
            Replaced rep = replace(b, g, s);
            stats.add(rep.stats);
            elements += s.weightElements();
            stored += rep.storedBytes;
        }
        TopologicalSort.sort(g);
        m.metadataProps().put(METADATA, "block_size=" + config.blockSize() + ";double_quant=" + config.doubleQuant());
        m.metadataProps().put(OUT_IN_METADATA, String.join(",", outIn));
        return new Result(m, new Nf4Report(config, stats, skipped, elements, 4 * elements, stored));
    }

    private String reasonToSkip(LinearSite s, Set<String> trainable) {
        if (trainable.contains(s.weight().name())) {
            return "trainable (" + PeftMetadata.TRAINABLE + ")";
        }
        if (s.tiedToEmbedding()) {
            return "weight '" + s.weight().name() + "' is tied to the embedding";
        }
        if (s.weightUses() > 1) {
            return "weight '" + s.weight().name() + "' is shared by " + s.weightUses() + " layers";
        }
        if (!config.includeHead() && s.outputHead()) {
            return "output head (kept in float unless asked)";
        }
        if (!config.includeHead() && s.layer().isEmpty()) {
            return "not inside a transformer block";
        }
        if (s.weight().dtype() != DataType.FLOAT && s.weight().dtype() != DataType.FLOAT16
                && s.weight().dtype() != DataType.BFLOAT16) {
            return "weight is " + s.weight().dtype().onnxName();
        }
        if (s.weightElements() > Integer.MAX_VALUE - 8) {
            return "weight of " + s.weightElements() + " elements is over MatMulBnb4's 2^31 limit";
        }
        return null;
    }

    private record Replaced(QuantErrorStats stats, long storedBytes) { }

    private Replaced replace(GraphBuilder b, Graph g, LinearSite s) {
        int n = Math.toIntExact(s.outFeatures());
        int k = Math.toIntExact(s.inFeatures());
        float[] w = s.weight().constant().toFloats();
        if (s.layout() == WeightLayout.IN_OUT) {
            w = transpose(w, k, n);
        }
        Nf4.Quantized q = Nf4.quantize(w, n, k, config.blockSize());
        float[] back = Nf4.dequantize(q);
        String base = s.weight().name();
        Value packed = b.initializer(base + ".nf4", Tensor.ofBytes(base + ".nf4", DataType.UINT8,
                new long[] {q.packed().length}, q.packed()));
        long storedBytes = q.packed().length;
        Value absmax;
        if (config.doubleQuant()) {
            DoubleQuant.Quantized dq = DoubleQuant.quantize(q.absmax());
            Value codes = b.initializer(base + ".absmax_codes", Tensor.ofBytes(base + ".absmax_codes",
                    DataType.UINT8, new long[] {dq.codes().length}, dq.codes()));
            Value scales = b.initializer(base + ".absmax_scales", Tensor.ofFloats(base + ".absmax_scales",
                    new long[] {dq.scales().length}, dq.scales()));
            Value offset = b.initializer(base + ".absmax_offset", Tensor.scalarFloat(base + ".absmax_offset",
                    dq.offset()));
            absmax = b.scoped(scopeOf(s), () -> Nf4Graph.dequantizeAbsmax(b, codes, scales, offset,
                    q.absmax().length));
            storedBytes += dq.codes().length + 4L * dq.scales().length + 4;
            back = Nf4.dequantize(new Nf4.Quantized(q.packed(), DoubleQuant.dequantize(dq), n, k, q.blockSize()));
        } else {
            absmax = b.initializer(base + ".absmax", Tensor.ofFloats(base + ".absmax",
                    new long[] {q.absmax().length}, q.absmax()));
            storedBytes += 4L * q.absmax().length;
        }
        Value x = s.input();
        Value y = b.scoped(scopeOf(s), () -> b.op(MS_DOMAIN, "MatMulBnb4", List.of(x, packed, absmax),
                new Attribute.IntAttr("K", k), new Attribute.IntAttr("N", n),
                new Attribute.IntAttr("block_size", config.blockSize()),
                new Attribute.IntAttr("quant_type", Nf4.QUANT_TYPE)));
        Value old = s.node().output();
        y.setType(old.type());
        rewire(g, old, y);
        g.removeNode(s.node());
        Node t = s.transpose();
        if (t != null && t.output().uses().isEmpty()) {
            g.removeNode(t);
        }
        if (s.weight().uses().isEmpty()) {
            g.removeInitializer(s.weight());
        }
        return new Replaced(QuantErrorStats.of(base, w, back), storedBytes);
    }

    /** Points every reader of {@code old} (nodes and graph outputs, keeping the output's name) at {@code y}. */
    private static void rewire(Graph g, Value old, Value y) {
        String name = old.name();
        boolean output = g.outputs().contains(old);
        old.replaceAllUsesWith(y);
        if (output) {
            old.setName(name + ".replaced");
            y.setName(name);
        }
    }

    private static String scopeOf(LinearSite s) {
        return s.module().startsWith("node:") ? s.weight().name() : s.module();
    }

    static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }

    private static boolean hasBnb4(Graph g) {
        return g.nodes().stream().anyMatch(n -> n.opType().equals("MatMulBnb4"));
    }
}
