package io.ortune.models.arch.gpt2;

import io.ortune.graph.ir.Model;
import io.ortune.models.arch.Architecture;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.WeightSource;
import io.ortune.models.arch.WeightSpec;
import io.ortune.models.config.Gpt2Config;
import io.ortune.models.config.ModelConfig;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** GPT-2 ({@code model_type} gpt2) as an {@link Architecture}. */
public final class Gpt2Architecture implements Architecture {

    public static final Gpt2Architecture INSTANCE = new Gpt2Architecture();

    private Gpt2Architecture() {
    }

    @Override
    public String name() {
        return "gpt2";
    }

    @Override
    public boolean accepts(ModelConfig config) {
        return config instanceof Gpt2Config;
    }

    @Override
    public Set<Form> forms() {
        return EnumSet.allOf(Form.class);
    }

    private static Gpt2Config gpt2(ModelConfig config) {
        if (config instanceof Gpt2Config c) {
            return c;
        }
        throw new IllegalArgumentException("the gpt2 architecture needs a Gpt2Config, got model_type '"
                + config.modelType() + "'");
    }

    @Override
    public void requireSupported(ModelConfig config, Form form) {
        gpt2(config);
    }

    @Override
    public List<WeightSpec> weights(ModelConfig config, Set<String> available) {
        return Gpt2Weights.specs(gpt2(config), Gpt2Weights.Layout.of(available));
    }

    @Override
    public Map<String, String> canonicalNames(Set<String> checkpointNames) {
        return Gpt2Weights.canonicalNames(checkpointNames);
    }

    @Override
    public boolean ignorable(ModelConfig config, String name) {
        return Gpt2Weights.ignorable(gpt2(config), name);
    }

    @Override
    public Model build(ModelConfig config, WeightSource weights, Form form) {
        return Gpt2Builder.build(gpt2(config), weights, form);
    }
}
