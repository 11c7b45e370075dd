package io.ortune.models.arch;

import io.ortune.graph.ir.Model;

import java.util.Map;

/**
 * Rebuilds an ortune-built model in the other {@link Form} from its own weights and metadata. The new model's
 * initializers share the old one's tensor data (nothing is copied, memory-mapped and external data stay where they
 * are); its other metadata is carried over.
 */
public final class ModelForms {

    private ModelForms() {
    }

    /** The KV-cache (decoding) form of {@code model}. */
    public static Model toKvCache(Model model) {
        return rebuild(model, Form.KV_CACHE);
    }

    /** The training (whole-sequence) form of {@code model}. */
    public static Model toTraining(Model model) {
        return rebuild(model, Form.TRAINING);
    }

    /**
     * {@code model} rebuilt in {@code form}. Its initializers must be exactly the architecture's weights: a model
     * with injected adapters fails with a {@link WeightMismatchException} listing them (merge them first).
     */
    public static Model rebuild(Model model, Form form) {
        String what = "model '" + model.graph().name() + "'";
        ModelMetadata.Description d = ModelMetadata.read(model, what);
        Model rebuilt = ModelFactory.build(d.architecture(), d.config(), new InitializerSource(model, what), form);
        for (Map.Entry<String, String> e : model.metadataProps().entrySet()) {
            rebuilt.metadataProps().putIfAbsent(e.getKey(), e.getValue());
        }
        return rebuilt;
    }
}
