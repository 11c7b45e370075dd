package io.ortune.models.arch.bert;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.models.arch.ModelIo;
import io.ortune.models.arch.WeightSource;
import io.ortune.models.arch.nn.AttentionMask;
import io.ortune.models.arch.nn.LayerNorm;
import io.ortune.models.arch.nn.Linear;
import io.ortune.models.arch.nn.Modules;
import io.ortune.models.arch.nn.Params;
import io.ortune.models.arch.nn.Shapes;
import io.ortune.models.config.BertConfig;

/**
 * Builds a BERT-style sequence classifier ({@code BertForSequenceClassification}, eval mode): word + position +
 * token-type embeddings and LayerNorm, N post-LayerNorm encoder layers with a padding mask, the pooler
 * ({@code tanh(dense(h[:, 0]))}) and the classifier. Positions are 0..sequence−1, so pad with zeros on the right.
 * The graph takes {@code token_type_ids} only when the config has more than one token type (otherwise type 0).
 */
@SuppressWarnings("try") // module scopes are entered for their effect on node names
public final class BertBuilder {

    private final BertConfig c;
    private final GraphBuilder b;
    private final Params p;

    private BertBuilder(BertConfig c, WeightSource weights) {
        this.c = c;
        this.b = GraphBuilder.create("bert-classifier");
        this.p = new Params(b, weights);
    }

    /** Builds the classifier of {@code c}; the weights must have been checked against the specs. */
    public static Model build(BertConfig c, WeightSource weights) {
        return new BertBuilder(c, weights).build();
    }

    private Model build() {
        Value ids = b.input(ModelIo.INPUT_IDS, DataType.INT64, ModelIo.BATCH, ModelIo.SEQUENCE);
        Value mask = b.input(ModelIo.ATTENTION_MASK, DataType.INT64, ModelIo.BATCH, ModelIo.SEQUENCE);
        Value types = c.typeVocabSize() > 1
                ? b.input(ModelIo.TOKEN_TYPE_IDS, DataType.INT64, ModelIo.BATCH, ModelIo.SEQUENCE) : null;
        Value h = embeddings(ids, types);
        Value bias = AttentionMask.padding(b, mask);
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            h = BertLayer.forward(b, p, c, BertWeights.layer(i), h, bias);
        }
        Value logits = Linear.linear(b, p, BertWeights.CLASSIFIER, pooler(h), true);
        Shapes.typed(b.output(logits, ModelIo.LOGITS), DataType.FLOAT, ModelIo.BATCH, c.numLabels());
        return b.model();
    }

    private Value embeddings(Value ids, Value types) {
        try (GraphBuilder.Scope s = Modules.enter(b, BertWeights.EMBEDDINGS)) {
            Value words = b.gather(p.get(BertWeights.WORD_EMBEDDINGS + ".weight"), ids, 0);
            Value positions = b.range(b.constLong(0), Shapes.dim(b, ids, 1), b.constLong(1));
            Value byPosition = b.gather(p.get(BertWeights.POSITION_EMBEDDINGS + ".weight"), positions, 0);
            Value byType = b.gather(p.get(BertWeights.TOKEN_TYPE_EMBEDDINGS + ".weight"),
                    types != null ? types : b.constLong(0), 0);
            Value sum = b.add(b.add(words, byType), byPosition);
            return LayerNorm.apply(b, p, BertWeights.EMBEDDINGS_NORM, sum, c.layerNormEps());
        }
    }

    private Value pooler(Value h) {
        try (GraphBuilder.Scope s = Modules.enter(b, BertWeights.POOLER)) {
            Value first = b.gather(h, b.constLong(0), 1);
            return b.tanh(Linear.linear(b, p, BertWeights.POOLER, first, true));
        }
    }
}
