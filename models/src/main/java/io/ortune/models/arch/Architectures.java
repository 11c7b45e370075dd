package io.ortune.models.arch;

import io.ortune.models.arch.bert.BertArchitecture;
import io.ortune.models.arch.gpt2.Gpt2Architecture;
import io.ortune.models.arch.llama.LlamaArchitecture;
import io.ortune.models.config.ModelConfig;

import java.util.List;
import java.util.stream.Collectors;

/** The architectures ortune builds, found by config or by {@link ModelMetadata#ARCHITECTURE} name. */
public final class Architectures {

    /** Every architecture, in a fixed order. */
    public static final List<Architecture> ALL = List.of(Gpt2Architecture.INSTANCE, LlamaArchitecture.INSTANCE,
            BertArchitecture.INSTANCE);

    private Architectures() {
    }

    /** The architecture that builds {@code config}. */
    public static Architecture of(ModelConfig config) {
        for (Architecture a : ALL) {
            if (a.accepts(config)) {
                return a;
            }
        }
        throw new UnsupportedOperationException("no architecture builds model_type '" + config.modelType() + "'");
    }

    /** The architecture called {@code name}. */
    public static Architecture byName(String name) {
        for (Architecture a : ALL) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + name + "' (known: "
                + ALL.stream().map(Architecture::name).collect(Collectors.joining(", ")) + ")");
    }
}
