package io.ortune.models.arch;

import io.ortune.graph.ir.Model;
import io.ortune.models.config.ConfigException;
import io.ortune.models.config.ModelConfig;
import io.ortune.models.config.ModelConfigs;

import java.util.Map;

/**
 * The {@code metadata_props} an ortune-built model carries, so that any later stage can rebuild it (in the other
 * form, or after merging) from its weights alone.
 */
public final class ModelMetadata {

    /** {@code gpt2}, {@code llama} or {@code bert}. */
    public static final String ARCHITECTURE = "ortune.architecture";
    /** The Hugging Face style config JSON ({@link ModelConfig#toJson()}). */
    public static final String CONFIG = "ortune.config";
    /** {@code training} or {@code kv-cache} ({@link Form#metadataValue()}). */
    public static final String FORM = "ortune.form";
    /** Set when weights were stored as float16/bfloat16 and upcast: what and how many. */
    public static final String UPCAST = "ortune.weights.upcast";
    /** Set when weights absent from the checkpoint (a new task head) were initialized randomly: which. */
    public static final String INITIALIZED = "ortune.weights.initialized";

    /**
     * What a model's metadata says.
     *
     * @param architecture the family
     * @param config       the parsed config
     * @param form         the form
     */
    public record Description(Architecture architecture, ModelConfig config, Form form) { }

    private ModelMetadata() {
    }

    /** Records architecture, config and form on {@code model}. */
    public static void write(Model model, Architecture architecture, ModelConfig config, Form form) {
        Map<String, String> m = model.metadataProps();
        m.put(ARCHITECTURE, architecture.name());
        m.put(CONFIG, config.toJson());
        m.put(FORM, form.metadataValue());
    }

    /**
     * Reads the description back.
     *
     * @param source names the model in messages
     * @throws IllegalArgumentException when a key is missing or names an unknown architecture or form
     * @throws ConfigException          when the stored config does not parse
     */
    public static Description read(Model model, String source) {
        Map<String, String> m = model.metadataProps();
        for (String key : new String[] {ARCHITECTURE, CONFIG, FORM}) {
            if (!m.containsKey(key)) {
                throw new IllegalArgumentException(source + " has no '" + key + "' in its metadata_props: it was not "
                        + "built by ortune's model builders (keys present: " + m.keySet() + ")");
            }
        }
        Architecture arch = Architectures.byName(m.get(ARCHITECTURE));
        ModelConfig config = ModelConfigs.parse(m.get(CONFIG), source + " metadata '" + CONFIG + "'");
        if (!arch.accepts(config)) {
            throw new IllegalArgumentException(source + ": architecture '" + arch.name() + "' does not take a '"
                    + config.modelType() + "' config");
        }
        Form form;
        try {
            form = Form.parse(m.get(FORM));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        return new Description(arch, config, form);
    }
}
