package io.ortune.export.hotswap;

import io.ortune.export.adapter.AdapterException;
import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.AdapterSwitch;

import java.util.Locale;

/**
 * Makes the hot-swap inference graph of a model with a LoRA adapter attached: every LoRA A, B and scaling tensor of
 * that adapter becomes a graph input that keeps its initializer as the default, so an ONNX Runtime LoRA adapter
 * activated for a run ({@code RunOptionsAddActiveLoraAdapter}) replaces them for that run only, with no session
 * rebuild. The graph's nodes are not changed; LoRA stays unmerged ({@code y + x·Aᵀ·Bᵀ·scaling·gate}).
 *
 * <p>Defaults ({@link HotSwapDefaults}): {@code ZEROS} (the default) sets A and B to zeros, so a run without an
 * adapter is the base model; {@code ATTACHED} keeps the attached adapter's tensors. Ranks: the graph's rank at each
 * module is the attached adapter's; adapters of a lower rank are padded with zeros when exported for the graph
 * (exact: the extra rows of A and columns of B add zero terms), a higher rank is refused, naming the module.
 *
 * <p>Recorded in the metadata: {@value #ADAPTER} (the slot adapter name), {@value #SIGNATURE}
 * ({@link HotSwapLayout#signature()}) and {@value #DEFAULTS}.
 */
public final class HotSwapGraph {

    public static final String ADAPTER = "ortune.hotswap.adapter";
    public static final String SIGNATURE = "ortune.hotswap.signature";
    public static final String DEFAULTS = "ortune.hotswap.defaults";

    private HotSwapGraph() {
    }

    /**
     * The result: the hot-swap model, its layout and a one-line summary.
     *
     * @param model   the hot-swap graph (a copy; the input model is not changed)
     * @param layout  the graph inputs adapter files must set
     * @param summary for logs: {@code hot-swap adapter 'default': 24 LoRA modules, 72 graph inputs, defaults zeros}
     */
    public record Result(Model model, HotSwapLayout layout, String summary) { }

    /** The hot-swap graph of {@code attached}'s LoRA adapter {@code adapter}, with zero defaults. */
    public static Result make(Model attached, String adapter) {
        return make(attached, adapter, HotSwapDefaults.ZEROS);
    }

    /**
     * The hot-swap graph of {@code attached}'s LoRA adapter {@code adapter}.
     *
     * @throws AdapterException when there is no such LoRA adapter, it is switched off or weighted (its gate is not
     *                          1), or the model is already a hot-swap graph
     */
    public static Result make(Model attached, String adapter, HotSwapDefaults defaults) {
        String where = "model (adapter '" + adapter + "')";
        if (attached.metadataProps().containsKey(ADAPTER)) {
            throw new AdapterException(where, "already a hot-swap graph (for adapter '"
                    + attached.metadataProps().get(ADAPTER) + "'); make it from the model with the adapter attached");
        }
        HotSwapLayout layout = HotSwapLayout.of(attached, adapter);
        Double gate = AdapterSwitch.gates(attached).get(adapter);
        if (gate == null || gate != 1.0) {
            throw new AdapterException(where, "its gate is " + gate + ", not 1: an adapter file would be scaled by it;"
                    + " activate the adapter first (AdapterSwitch.activate)");
        }
        Model out = GraphCopier.copy(attached);
        Graph g = out.graph();
        for (HotSwapSlot s : layout.slots()) {
            for (String name : new String[] {s.a(), s.b(), s.scaling()}) {
                Value v = g.initializer(name);
                if (defaults == HotSwapDefaults.ZEROS && !name.equals(s.scaling())) {
                    Tensor t = v.constant();
                    g.setInitializerTensor(v, Tensor.ofBytes(name, t.dtype(), t.dims(), new byte[(int) t.byteSize()]));
                }
                if (!g.inputs().contains(v)) {
                    g.addInput(v);
                }
            }
        }
        if (out.irVersion() < 4) {
            out.setIrVersion(4);
        }
        out.metadataProps().put(ADAPTER, adapter);
        out.metadataProps().put(SIGNATURE, Integer.toString(layout.signature()));
        out.metadataProps().put(DEFAULTS, defaults.name().toLowerCase(Locale.ROOT));
        String summary = "hot-swap adapter '" + adapter + "': " + layout.slots().size() + " LoRA modules, "
                + 3 * layout.slots().size() + " graph inputs with defaults ("
                + defaults.name().toLowerCase(Locale.ROOT) + ")";
        return new Result(out, layout, summary);
    }

    /**
     * {@code base} with the PEFT LoRA adapter folder {@code dir} attached under {@code adapter}, as a hot-swap graph:
     * what {@code ortune adapters attach --hot-swap} writes.
     */
    public static Result fromPeftFolder(Model base, java.nio.file.Path dir, String adapter, HotSwapDefaults defaults)
            throws java.io.IOException {
        return make(io.ortune.export.adapter.PeftAdapters.attach(base, dir, adapter).model(), adapter, defaults);
    }

    /** The layout of a hot-swap graph made by {@link #make}, read back from its metadata and initializers. */
    public static HotSwapLayout layout(Model hotSwap) {
        String adapter = hotSwap.metadataProps().get(ADAPTER);
        if (adapter == null) {
            throw new AdapterException("model", "not a hot-swap graph (no " + ADAPTER + " metadata); make one with "
                    + "HotSwapGraph.make or 'ortune adapters attach --hot-swap'");
        }
        return HotSwapLayout.of(hotSwap, adapter);
    }
}
