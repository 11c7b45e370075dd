package io.ortune.models.arch.bert;

import io.ortune.graph.ir.Model;
import io.ortune.models.arch.Architecture;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.WeightSource;
import io.ortune.models.arch.WeightSpec;
import io.ortune.models.config.BertConfig;
import io.ortune.models.config.ModelConfig;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The BERT-style sequence classifier ({@code model_type} bert) as an {@link Architecture}; training form only. */
public final class BertArchitecture implements Architecture {

    public static final BertArchitecture INSTANCE = new BertArchitecture();

    private BertArchitecture() {
    }

    @Override
    public String name() {
        return "bert";
    }

    @Override
    public boolean accepts(ModelConfig config) {
        return config instanceof BertConfig;
    }

    @Override
    public Set<Form> forms() {
        return EnumSet.of(Form.TRAINING);
    }

    private static BertConfig bert(ModelConfig config) {
        if (config instanceof BertConfig c) {
            return c;
        }
        throw new IllegalArgumentException("the bert architecture needs a BertConfig, got model_type '"
                + config.modelType() + "'");
    }

    @Override
    public void requireSupported(ModelConfig config, Form form) {
        bert(config);
        if (form != Form.TRAINING) {
            throw new UnsupportedOperationException("bert is an encoder: it has no " + form.metadataValue()
                    + " form (only " + Form.TRAINING.metadataValue() + ")");
        }
    }

    @Override
    public List<WeightSpec> weights(ModelConfig config, Set<String> available) {
        return BertWeights.specs(bert(config));
    }

    @Override
    public Map<String, String> canonicalNames(Set<String> checkpointNames) {
        return BertWeights.canonicalNames(checkpointNames);
    }

    @Override
    public boolean ignorable(ModelConfig config, String name) {
        return BertWeights.ignorable(name);
    }

    @Override
    public Model build(ModelConfig config, WeightSource weights, Form form) {
        requireSupported(config, form);
        return BertBuilder.build(bert(config), weights);
    }
}
