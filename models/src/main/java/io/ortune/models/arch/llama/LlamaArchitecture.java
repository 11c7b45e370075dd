package io.ortune.models.arch.llama;

import io.ortune.graph.ir.Model;
import io.ortune.models.arch.Architecture;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.WeightSource;
import io.ortune.models.arch.WeightSpec;
import io.ortune.models.config.LlamaConfig;
import io.ortune.models.config.ModelConfig;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The Llama family ({@code model_type} llama, mistral, qwen2) as an {@link Architecture}. */
public final class LlamaArchitecture implements Architecture {

    public static final LlamaArchitecture INSTANCE = new LlamaArchitecture();

    private LlamaArchitecture() {
    }

    @Override
    public String name() {
        return "llama";
    }

    @Override
    public boolean accepts(ModelConfig config) {
        return config instanceof LlamaConfig;
    }

    @Override
    public Set<Form> forms() {
        return EnumSet.allOf(Form.class);
    }

    private static LlamaConfig llama(ModelConfig config) {
        if (config instanceof LlamaConfig c) {
            return c;
        }
        throw new IllegalArgumentException("the llama architecture needs a LlamaConfig, got model_type '"
                + config.modelType() + "'");
    }

    @Override
    public void requireSupported(ModelConfig config, Form form) {
        LlamaBuilder.requireSupported(llama(config));
    }

    @Override
    public List<WeightSpec> weights(ModelConfig config, Set<String> available) {
        return LlamaWeights.specs(llama(config));
    }

    @Override
    public boolean ignorable(ModelConfig config, String name) {
        return LlamaWeights.ignorable(llama(config), name);
    }

    @Override
    public Model build(ModelConfig config, WeightSource weights, Form form) {
        return LlamaBuilder.build(llama(config), weights, form);
    }
}
