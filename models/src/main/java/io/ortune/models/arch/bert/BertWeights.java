package io.ortune.models.arch.bert;

import io.ortune.models.arch.WeightSpec;
import io.ortune.models.config.BertConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every weight name of Hugging Face's {@code BertForSequenceClassification}, and the shapes a config gives them.
 * The classifier is optional: a checkpoint without it (a pretrained encoder, the usual start of fine-tuning) gets a
 * freshly initialized one, as Hugging Face does.
 */
public final class BertWeights {

    public static final String PREFIX = "bert.";
    public static final String EMBEDDINGS = "bert.embeddings";
    public static final String WORD_EMBEDDINGS = EMBEDDINGS + ".word_embeddings";
    public static final String POSITION_EMBEDDINGS = EMBEDDINGS + ".position_embeddings";
    public static final String TOKEN_TYPE_EMBEDDINGS = EMBEDDINGS + ".token_type_embeddings";
    public static final String EMBEDDINGS_NORM = EMBEDDINGS + ".LayerNorm";
    public static final String POOLER = "bert.pooler.dense";
    public static final String CLASSIFIER = "classifier";

    private BertWeights() {
    }

    /** The module paths of encoder layer {@code index}. */
    public record Layer(int index) {
        public String path() {
            return "bert.encoder.layer." + index;
        }

        public String selfAttention() {
            return path() + ".attention.self";
        }

        public String query() {
            return selfAttention() + ".query";
        }

        public String key() {
            return selfAttention() + ".key";
        }

        public String value() {
            return selfAttention() + ".value";
        }

        public String attentionOutput() {
            return path() + ".attention.output.dense";
        }

        public String attentionNorm() {
            return path() + ".attention.output.LayerNorm";
        }

        public String intermediate() {
            return path() + ".intermediate.dense";
        }

        public String output() {
            return path() + ".output.dense";
        }

        public String outputNorm() {
            return path() + ".output.LayerNorm";
        }
    }

    public static Layer layer(int index) {
        return new Layer(index);
    }

    /** The weights of a classifier of {@code c}. */
    public static List<WeightSpec> specs(BertConfig c) {
        long e = c.hiddenSize();
        long inter = c.intermediateSize();
        List<WeightSpec> out = new ArrayList<>();
        out.add(WeightSpec.matrix(WORD_EMBEDDINGS + ".weight", c.vocabSize(), e));
        out.add(WeightSpec.matrix(POSITION_EMBEDDINGS + ".weight", c.maxPositionEmbeddings(), e));
        out.add(WeightSpec.matrix(TOKEN_TYPE_EMBEDDINGS + ".weight", c.typeVocabSize(), e));
        layerNorm(out, EMBEDDINGS_NORM, e);
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            Layer l = layer(i);
            linear(out, l.query(), e, e);
            linear(out, l.key(), e, e);
            linear(out, l.value(), e, e);
            linear(out, l.attentionOutput(), e, e);
            layerNorm(out, l.attentionNorm(), e);
            linear(out, l.intermediate(), inter, e);
            linear(out, l.output(), e, inter);
            layerNorm(out, l.outputNorm(), e);
        }
        linear(out, POOLER, e, e);
        out.add(WeightSpec.matrix(CLASSIFIER + ".weight", c.numLabels(), e).asOptional());
        out.add(WeightSpec.bias(CLASSIFIER + ".bias", c.numLabels()).asOptional());
        return out;
    }

    private static void linear(List<WeightSpec> out, String module, long rows, long cols) {
        out.add(WeightSpec.matrix(module + ".weight", rows, cols));
        out.add(WeightSpec.bias(module + ".bias", rows));
    }

    private static void layerNorm(List<WeightSpec> out, String module, long size) {
        out.add(WeightSpec.scale(module + ".weight", size));
        out.add(WeightSpec.bias(module + ".bias", size));
    }

    /**
     * Canonical name → checkpoint name: names of a bare {@code BertModel} checkpoint get the {@code bert.} prefix,
     * and the {@code LayerNorm.gamma}/{@code beta} of TensorFlow-era checkpoints become {@code weight}/{@code bias},
     * as {@code from_pretrained} does.
     */
    public static Map<String, String> canonicalNames(Set<String> names) {
        boolean prefixed = names.stream().anyMatch(n -> n.startsWith(PREFIX));
        Map<String, String> m = new TreeMap<>();
        for (String n : names) {
            String c = prefixed || n.startsWith(CLASSIFIER + ".") || n.startsWith("cls.") ? n : PREFIX + n;
            if (c.endsWith("LayerNorm.gamma")) {
                c = c.substring(0, c.length() - "gamma".length()) + "weight";
            } else if (c.endsWith("LayerNorm.beta")) {
                c = c.substring(0, c.length() - "beta".length()) + "bias";
            }
            m.put(c, n);
        }
        return m;
    }

    /** Tensors a classifier does not use: the {@code position_ids} buffer and pretraining heads ({@code cls.*}). */
    public static boolean ignorable(String name) {
        return name.equals(EMBEDDINGS + ".position_ids") || name.startsWith("cls.");
    }
}
