package io.ortune.export.adapter;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.PeftMetadata;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Adapters between models and PEFT's files: {@link #list} what a model carries, {@link #extract} one as a
 * {@link PeftAdapter} (then {@link PeftAdapterFiles#write}), and {@link #attach} a PEFT adapter to a base model.
 *
 * <pre>{@code
 * PeftAdapter a = PeftAdapterFiles.read(Path.of("my-lora"));
 * Injection withLora = PeftAdapters.attach(base, a, "default");
 * PeftAdapterFiles.write(PeftAdapters.extract(withLora.model(), "default"), Path.of("out"));
 * }</pre>
 */
public final class PeftAdapters {

    private PeftAdapters() {
    }

    /**
     * {@code base} with {@code adapter} injected under {@code adapterName} by the method's pass (LoRA and DoRA: the
     * config's targets, layers, ranks, alphas, rsLoRA and DoRA translated to a {@code LoraConfig}), its tensors set to
     * the adapter's values bit for bit, for inference (LoRA dropout left out, as {@code PeftModel.from_pretrained}
     * gives by default). {@code base} is not changed.
     *
     * @throws AdapterException when the adapter does not fit the base (keys, shapes: every problem listed), uses a
     *                          field ortune does not reproduce, or is of a method ortune cannot attach yet
     */
    public static Injection attach(Model base, PeftAdapter adapter, String adapterName) {
        return AdapterAttach.attach(base, adapter, adapterName, "adapter '" + adapterName + "'", false);
    }

    /**
     * Like {@link #attach(Model, PeftAdapter, String)}, keeping the training-only LoRA dropout, to train the adapter
     * further ({@code PeftModel.from_pretrained(..., is_trainable=True)}).
     */
    public static Injection attachForTraining(Model base, PeftAdapter adapter, String adapterName) {
        return AdapterAttach.attach(base, adapter, adapterName, "adapter '" + adapterName + "'", true);
    }

    /** {@link #attach(Model, PeftAdapter, String)} under PEFT's default name, {@code default}. */
    public static Injection attach(Model base, PeftAdapter adapter) {
        return attach(base, adapter, LoraConfig.DEFAULT_ADAPTER);
    }

    /** Reads the adapter folder {@code dir} and attaches it; messages name the folder. */
    public static Injection attach(Model base, java.nio.file.Path dir, String adapterName)
            throws java.io.IOException {
        PeftAdapter a = PeftAdapterFiles.read(dir);
        return AdapterAttach.attach(base, a, adapterName, dir.toString(), false);
    }

    /** Extracts {@code adapterName} from {@code m} and writes it as a PEFT folder into {@code dir}. */
    public static void extractTo(Model m, String adapterName, java.nio.file.Path dir) throws java.io.IOException {
        PeftAdapterFiles.write(extract(m, adapterName), dir);
    }

    /** Summaries of the adapters {@code m} carries, in injection order. */
    public static List<AdapterSummary> list(Model m) {
        String active = PeftMetadata.active(m).orElse(null);
        List<AdapterSummary> out = new ArrayList<>();
        for (AdapterInfo a : PeftMetadata.adapters(m)) {
            RecordedConfig rc = new RecordedConfig(a);
            Set<String> modules = new LinkedHashSet<>();
            long params = 0;
            for (var e : a.tensors().entrySet()) {
                AdapterKeys.parse(e.getKey()).ifPresent(k -> modules.add(k.module()));
                Value v = m.graph().initializer(e.getValue());
                if (v != null && v.constant() != null) {
                    params += v.constant().elementCount();
                }
            }
            out.add(new AdapterSummary(a.name(), a.method(), rc.integer("r", 0), rc.number("lora_alpha", 0),
                    modules.size(), params, a.name().equals(active)));
        }
        return out;
    }

    /**
     * The adapter {@code adapterName} of {@code m} as PEFT would save it: config from the recorded settings (PEFT key
     * names), tensors from the initializers under their PEFT keys (the same bytes). {@code fan_in_fan_out} and
     * {@code rank_pattern} entries the record lacks are derived from the graph and the tensor shapes.
     *
     * @throws AdapterException when there is no such adapter, or its record names initializers the model lacks
     */
    public static PeftAdapter extract(Model m, String adapterName) {
        PeftAdapter a = AdapterExtraction.extract(m, adapterName);
        AdapterChecks.selfConsistent(a, "adapter '" + adapterName + "' of the model");
        return a;
    }
}
