package io.ortune.models.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.models.config.BertConfig;
import io.ortune.models.weights.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BERT-style classifier: runs, has the right interface, ignores padding, loads pretrained-encoder checkpoints. */
class BertClassifierTest {

    private static final long[][] IDS = {{2, 14, 7, 33, 9, 21, 0, 0}, {2, 5, 8, 41, 12, 30, 17, 3}};
    private static final long[][] MASK = {{1, 1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1, 1}};
    private static final long[][] TYPES = {{0, 0, 0, 1, 1, 1, 0, 0}, {0, 0, 0, 0, 1, 1, 1, 1}};

    @TempDir
    Path dir;

    private static Map<String, Tensor> feeds(long[][] ids, long[][] mask, long[][] types) {
        Map<String, Tensor> f = new LinkedHashMap<>(Sessions.idsAndMask(ids, mask));
        f.put(ModelIo.TOKEN_TYPE_IDS, Sessions.longs(ModelIo.TOKEN_TYPE_IDS, types));
        return f;
    }

    @Test
    void randomInitRunsWithLogitsPerLabel() {
        BertConfig c = TinyConfigs.bert();
        Model m = ModelFactory.randomInit(c, 42, Form.TRAINING);
        assertThat(m.graph().inputs()).extracting(v -> v.name())
                .containsExactly(ModelIo.INPUT_IDS, ModelIo.ATTENTION_MASK, ModelIo.TOKEN_TYPE_IDS);
        Tensor logits = Sessions.run(m, feeds(IDS, MASK, TYPES)).get(ModelIo.LOGITS);
        assertThat(logits.dims()).containsExactly(2, c.numLabels());
        for (float v : logits.toFloats()) {
            assertThat(v).isFinite();
        }
        assertThat(m.metadataProps()).containsEntry(ModelMetadata.ARCHITECTURE, "bert")
                .containsEntry(ModelMetadata.FORM, "training");
    }

    @Test
    void paddingDoesNotChangeThePaddedRow() {
        BertConfig c = TinyConfigs.bert();
        Model m = ModelFactory.build(c, TestWeights.source(c, 9), Form.TRAINING);
        float[] batch = Sessions.run(m, feeds(IDS, MASK, TYPES)).get(ModelIo.LOGITS).toFloats();
        long[][] alone = {Arrays.copyOf(IDS[0], 6)};
        float[] single = Sessions.run(m, feeds(alone, new long[][] {{1, 1, 1, 1, 1, 1}},
                new long[][] {Arrays.copyOf(TYPES[0], 6)})).get(ModelIo.LOGITS).toFloats();
        Logits.assertClose("padded row vs unpadded", Arrays.copyOf(batch, c.numLabels()), single, c.numLabels(),
                null, new Logits.Tolerance(1e-5, 0, "brief: masked keys get exp(-huge) = 0 exactly"));
        long[][] otherPads = {IDS[0].clone(), IDS[1]};
        otherPads[0][6] = 40;
        otherPads[0][7] = 11;
        float[] repadded = Sessions.run(m, feeds(otherPads, MASK, TYPES)).get(ModelIo.LOGITS).toFloats();
        Logits.assertClose("pad token ids do not matter", repadded, batch, c.numLabels(), null,
                new Logits.Tolerance(1e-6, 0, "same math"));
    }

    @Test
    void oneTokenTypeMeansNoTokenTypeInput() {
        BertConfig c = TinyConfigs.bert(1);
        assertThat(c.typeVocabSize()).isEqualTo(1);
        Model m = ModelFactory.randomInit(c, 1, Form.TRAINING);
        assertThat(m.graph().inputs()).extracting(v -> v.name())
                .containsExactly(ModelIo.INPUT_IDS, ModelIo.ATTENTION_MASK);
        assertThat(Sessions.run(m, Sessions.idsAndMask(IDS, MASK)).get(ModelIo.LOGITS).dims())
                .containsExactly(2, c.numLabels());
    }

    @Test
    void pretrainedEncoderCheckpointGetsAFreshClassifier() throws IOException {
        BertConfig c = TinyConfigs.bert();
        Map<String, Tensor> full = TestWeights.of(c, 9);
        Map<String, Tensor> encoderOnly = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : full.entrySet()) {
            String n = e.getKey();
            if (n.startsWith("classifier.")) {
                continue;
            }
            String saved = n.substring("bert.".length()).replace("LayerNorm.weight", "LayerNorm.gamma")
                    .replace("LayerNorm.bias", "LayerNorm.beta");
            encoderOnly.put(saved, e.getValue().withName(saved));
        }
        encoderOnly.put("cls.predictions.bias", Tensor.ofFloats("cls.predictions.bias", new long[] {60},
                new float[60]));
        Files.writeString(dir.resolve("config.json"), c.toJson());
        SafetensorsWriter.write(dir.resolve("model.safetensors"), encoderOnly);
        Model m = ModelFactory.fromHuggingFace(dir, dir, Form.TRAINING);
        assertThat(m.graph().initializers()).containsKeys("classifier.weight", "classifier.bias",
                "bert.embeddings.LayerNorm.weight", "bert.encoder.layer.1.output.LayerNorm.bias");
        assertThat(m.metadataProps().get(ModelMetadata.INITIALIZED)).contains("classifier.weight");
        Tensor logits = Sessions.run(m, feeds(IDS, MASK, TYPES)).get(ModelIo.LOGITS);
        assertThat(logits.dims()).containsExactly(2, c.numLabels());
    }

    @Test
    void bertHasNoKvCacheForm() {
        assertThatThrownBy(() -> ModelFactory.randomInit(TinyConfigs.bert(), 1, Form.KV_CACHE))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("bert").hasMessageContaining("kv-cache");
    }
}
