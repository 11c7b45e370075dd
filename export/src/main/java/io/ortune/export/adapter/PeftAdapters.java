package io.ortune.export.adapter;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.AdapterInfo;
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
 * Attached withLora = PeftAdapters.attach(base, a, "default");
 * PeftAdapterFiles.write(PeftAdapters.extract(withLora.model(), "default"), Path.of("out"));
 * }</pre>
 */
public final class PeftAdapters {

    private PeftAdapters() {
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
