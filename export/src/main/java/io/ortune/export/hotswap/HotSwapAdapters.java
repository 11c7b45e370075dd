package io.ortune.export.hotswap;

import io.ortune.export.adapter.AdapterException;
import io.ortune.export.adapter.PeftAdapters;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.peft.Injection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes {@code .onnx_adapter} content from LoRA adapters, with parameter names equal to a hot-swap graph's inputs:
 * from an adapter inside a model ({@link #forLayout(Model, String, HotSwapLayout)}, {@link #of}) or from a PEFT
 * folder attached to its base ({@link #fromPeftFolder}).
 *
 * <p>Rules, per module of the layout: the source's A, B and scaling are written under the layout's names, in the
 * layout's element type (a different type is refused); a source of lower rank is padded with zeros to the graph's
 * rank (exact); a higher rank is refused; a module the source lacks gets zeros (an adapter without that module);
 * a source module the graph lacks is refused (its tensors would have no graph input).
 *
 * <pre>{@code
 * HotSwapGraph.Result hot = HotSwapGraph.make(withA, "default");             // graph inputs with zero defaults
 * OnnxAdapterFile.write(HotSwapAdapters.forLayout(withA, "default", hot.layout()), Path.of("a.onnx_adapter"));
 * OnnxAdapterFile.write(HotSwapAdapters.fromPeftFolder(base, Path.of("peft-b"), hot.layout()),
 *         Path.of("b.onnx_adapter"));
 * }</pre>
 */
public final class HotSwapAdapters {

    /** The {@code adapter_version} ortune writes. */
    public static final int ADAPTER_VERSION = 1;

    private HotSwapAdapters() {
    }

    /** Adapter {@code adapter} of {@code source} for the hot-swap graph {@code HotSwapGraph.make(source, adapter)}. */
    public static OnnxAdapter of(Model source, String adapter) {
        return forLayout(source, adapter, HotSwapLayout.of(source, adapter));
    }

    /**
     * Adapter {@code adapter} of {@code source} (any model with that LoRA adapter attached) for a graph of
     * {@code layout}.
     *
     * @throws AdapterException listing every module that does not fit (type, features, rank, unknown module)
     */
    public static OnnxAdapter forLayout(Model source, String adapter, HotSwapLayout layout) {
        HotSwapLayout from = HotSwapLayout.of(source, adapter);
        List<String> issues = new ArrayList<>();
        for (HotSwapSlot s : from.slots()) {
            if (layout.slot(s.module()) == null) {
                issues.add("module " + s.module() + " has no LoRA input in the hot-swap graph (it has "
                        + layout.slots().size() + " LoRA modules, e.g. " + layout.slots().get(0).module()
                        + "): an adapter for another base or other target modules");
            }
        }
        List<Tensor> params = new ArrayList<>();
        for (HotSwapSlot target : layout.slots()) {
            HotSwapSlot s = from.slot(target.module());
            if (s == null) {
                params.add(zeros(target.a(), target, target.aDims()));
                params.add(zeros(target.b(), target, target.bDims()));
                params.add(zeros(target.scaling(), target, new long[0]));
                continue;
            }
            String problem = fit(s, target);
            if (problem != null) {
                issues.add("module " + target.module() + ": " + problem);
                continue;
            }
            Tensor a = source.graph().initializer(s.a()).constant();
            Tensor b = source.graph().initializer(s.b()).constant();
            Tensor scaling = source.graph().initializer(s.scaling()).constant();
            params.add(padRows(a, target.a(), target.rank()));
            params.add(padColumns(b, target.b(), target.rank()));
            params.add(Tensor.ofBytes(target.scaling(), scaling.dtype(), new long[0], bytes(scaling)));
        }
        if (!issues.isEmpty()) {
            throw new AdapterException("adapter '" + adapter + "' for hot-swap adapter '" + layout.adapter() + "'",
                    issues);
        }
        return new OnnxAdapter(ADAPTER_VERSION, layout.signature(), params);
    }

    /** The PEFT adapter folder {@code dir}, attached to its base model {@code base}, for a graph of {@code layout}. */
    public static OnnxAdapter fromPeftFolder(Model base, Path dir, HotSwapLayout layout) throws IOException {
        String name = "peft_source";
        Injection attached = PeftAdapters.attach(base, dir, name);
        try {
            return forLayout(attached.model(), name, layout);
        } catch (AdapterException e) {
            throw new AdapterException(dir.toString(), e.issues());
        }
    }

    /**
     * The PEFT adapter folder {@code dir} for the hot-swap graph {@code HotSwapGraph.fromPeftFolder(base, dir,
     * adapter, ...)}: names {@code <module>.lora_A.<adapter>.weight}, its own ranks.
     */
    public static OnnxAdapter fromPeftFolder(Model base, Path dir, String adapter) throws IOException {
        return of(PeftAdapters.attach(base, dir, adapter).model(), adapter);
    }

    private static String fit(HotSwapSlot s, HotSwapSlot target) {
        if (s.dtype() != target.dtype()) {
            return "tensors of type " + s.dtype().onnxName() + ", the graph's are " + target.dtype().onnxName();
        }
        if (s.in() != target.in() || s.out() != target.out()) {
            return "features in " + s.in() + " out " + s.out() + ", the graph's module has in " + target.in()
                    + " out " + target.out() + " (an adapter for another base)";
        }
        if (s.rank() > target.rank()) {
            return "rank " + s.rank() + " is above the graph's rank " + target.rank() + " (one graph holds ranks up "
                    + "to its own; make the hot-swap graph from an adapter of rank >= " + s.rank() + ")";
        }
        return null;
    }

    private static Tensor zeros(String name, HotSwapSlot slot, long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return Tensor.ofBytes(name, slot.dtype(), dims, new byte[(int) slot.dtype().byteSize(n)]);
    }

    /** A [r, in] → [rank, in]: the rows below r are zero. */
    private static Tensor padRows(Tensor a, String name, int rank) {
        byte[] src = bytes(a);
        byte[] out = new byte[(int) (src.length / a.dims()[0] * rank)];
        System.arraycopy(src, 0, out, 0, src.length);
        return Tensor.ofBytes(name, a.dtype(), new long[] {rank, a.dims()[1]}, out);
    }

    /** B [out, r] → [out, rank]: the columns right of r are zero. */
    private static Tensor padColumns(Tensor b, String name, int rank) {
        byte[] src = bytes(b);
        int rows = (int) b.dims()[0];
        int r = (int) b.dims()[1];
        int elem = b.dtype().bits() / 8;
        byte[] out = new byte[rows * rank * elem];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(src, i * r * elem, out, i * rank * elem, r * elem);
        }
        return Tensor.ofBytes(name, b.dtype(), new long[] {rows, rank}, out);
    }

    private static byte[] bytes(Tensor t) {
        ByteBuffer bb = t.bytes().duplicate();
        byte[] out = new byte[bb.remaining()];
        bb.get(out);
        return out;
    }
}
