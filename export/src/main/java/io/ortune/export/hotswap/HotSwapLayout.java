package io.ortune.export.hotswap;

import io.ortune.export.adapter.AdapterException;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.PeftMethod;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The LoRA sites of one adapter in a model, as a hot-swap graph exposes them: per module the names, type and shapes
 * of the A, B and scaling tensors. Names are the graph's own initializer names
 * ({@code <module>.lora_A.<adapter>.weight}, {@code <module>.lora_B.<adapter>.weight},
 * {@code <module>.lora_scaling.<adapter>}), so adapter files made for the layout carry exactly the graph input names.
 *
 * @param adapter the adapter (slot) name in the graph
 * @param slots   one per LoRA module, in the adapter's record order
 */
public record HotSwapLayout(String adapter, List<HotSwapSlot> slots) {

    static final String KEY_PREFIX = "base_model.model.";
    static final String A_SUFFIX = ".lora_A.weight";
    static final String B_SUFFIX = ".lora_B.weight";

    public HotSwapLayout {
        slots = List.copyOf(slots);
    }

    /**
     * The layout of LoRA adapter {@code adapter} in {@code model} (a model with it attached, or a hot-swap graph).
     *
     * @throws AdapterException when the model has no such adapter, it is not plain LoRA, or its tensors are missing
     */
    public static HotSwapLayout of(Model model, String adapter) {
        String where = "model (adapter '" + adapter + "')";
        AdapterInfo info = PeftMetadata.adapter(model, adapter).orElseThrow(() -> new AdapterException(where,
                "no adapter '" + adapter + "'; the model has " + PeftMetadata.adapters(model).stream()
                        .map(AdapterInfo::name).toList()));
        if (info.method() != PeftMethod.LORA) {
            throw new AdapterException(where, "method " + info.method() + ": only plain LoRA adapters hot-swap "
                    + "(an adapter file replaces A, B and scaling; DoRA's magnitude and other methods change the "
                    + "graph)");
        }
        Graph g = model.graph();
        List<HotSwapSlot> slots = new ArrayList<>();
        List<String> issues = new ArrayList<>();
        for (var e : info.tensors().entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(KEY_PREFIX) || !key.endsWith(A_SUFFIX)) {
                continue;
            }
            String module = key.substring(KEY_PREFIX.length(), key.length() - A_SUFFIX.length());
            Value a = g.initializer(e.getValue());
            Value b = g.initializer(info.tensors().getOrDefault(KEY_PREFIX + module + B_SUFFIX, ""));
            Value s = g.initializer(module + ".lora_scaling." + adapter);
            if (a == null || b == null || s == null) {
                issues.add("module " + module + ": the graph lacks its lora_A, lora_B or lora_scaling initializer");
                continue;
            }
            long[] ad = a.constant().dims();
            long[] bd = b.constant().dims();
            DataType dt = a.constant().dtype();
            if (ad.length != 2 || bd.length != 2 || bd[1] != ad[0] || b.constant().dtype() != dt
                    || s.constant().dtype() != dt || s.constant().elementCount() != 1) {
                issues.add("module " + module + ": A " + Arrays.toString(ad) + ", B " + Arrays.toString(bd)
                        + " and scaling do not form one LoRA pair of one type");
                continue;
            }
            slots.add(new HotSwapSlot(module, a.name(), b.name(), s.name(), dt, (int) ad[0], ad[1], bd[0]));
        }
        if (!issues.isEmpty()) {
            throw new AdapterException(where, issues);
        }
        if (slots.isEmpty()) {
            throw new AdapterException(where, "the adapter has no LoRA modules");
        }
        return new HotSwapLayout(adapter, slots);
    }

    /** The slot of {@code module}, or null. */
    public HotSwapSlot slot(String module) {
        for (HotSwapSlot s : slots) {
            if (s.module().equals(module)) {
                return s;
            }
        }
        return null;
    }

    /**
     * A positive 31-bit digest of every slot's names, type and shapes: written as {@code model_version} of the adapter
     * files made for this layout and recorded in the hot-swap graph, so a file made for another graph is named as such.
     */
    public int signature() {
        CRC32 crc = new CRC32();
        List<HotSwapSlot> sorted = new ArrayList<>(slots);
        sorted.sort(Comparator.comparing(HotSwapSlot::module));
        for (HotSwapSlot s : sorted) {
            String line = s.a() + "|" + s.b() + "|" + s.scaling() + "|" + s.dtype() + "|" + s.rank() + "|" + s.in()
                    + "|" + s.out() + "\n";
            crc.update(line.getBytes(StandardCharsets.UTF_8));
        }
        int v = (int) (crc.getValue() & 0x7fffffff);
        return v == 0 ? 1 : v;
    }
}
