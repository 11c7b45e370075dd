package io.ortune.models.arch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.onnx.WriteOptions;
import io.ortune.models.config.LlamaConfig;
import io.ortune.models.config.ModelConfigs;
import io.ortune.runtime.InferenceSession;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Built model → OnnxWriter → OnnxReader → ModelForms, and what the forms share. */
class RoundTripTest {

    private static final long[][] IDS = {{5, 17, 3, 22, 9}, {0, 0, 12, 7, 25}};
    private static final long[][] MASK = {{1, 1, 1, 1, 1}, {0, 0, 1, 1, 1}};

    @TempDir
    Path dir;

    @Test
    void writtenAndReadModelBecomesAWorkingKvCacheModel() throws IOException {
        LlamaConfig c = TinyConfigs.llamaGqa();
        Model training = ModelFactory.build(c, TestWeights.source(c, 11), Form.TRAINING);
        float[] expected = Sessions.run(training, Sessions.idsAndMask(IDS, MASK)).get(ModelIo.LOGITS).toFloats();
        Path file = dir.resolve("model.onnx");
        OnnxWriter.write(training, file, WriteOptions.externalData());
        Model read = OnnxReader.read(file);
        Model kv = ModelForms.toKvCache(read);
        assertThat(kv.metadataProps()).containsEntry(ModelMetadata.FORM, "kv-cache")
                .containsEntry(ModelMetadata.ARCHITECTURE, "llama");
        assertThat(ModelConfigs.parse(kv.metadataProps().get(ModelMetadata.CONFIG), "meta")).isEqualTo(c);
        float[] decoded;
        try (KvDecoder d = new KvDecoder(kv, c.numHiddenLayers(), c.numKeyValueHeads(), c.headDim(), 2)) {
            decoded = d.decode(IDS, MASK, Sessions.positions(MASK), c.vocabSize(), 2, 1, 1, 1);
        }
        Logits.assertClose("kv form of the read model vs the built training form", decoded, expected, c.vocabSize(),
                Logits.flags(MASK), Logits.SAME_MATH);
        try (InferenceSession s = InferenceSession.open(file)) {
            assertThat(s.inputNames()).containsExactly(ModelIo.INPUT_IDS, ModelIo.ATTENTION_MASK);
        }
        assertThat(ModelFactory.fromOnnx(file).graph().initializers().keySet())
                .containsExactlyElementsOf(training.graph().initializers().keySet());
    }

    @Test
    void formsShareWeightDataAndRebuildIdentically() {
        Model training = ModelFactory.randomInit(TinyConfigs.gpt2(), 3, Form.TRAINING);
        Model kv = ModelForms.toKvCache(training);
        for (Value w : training.graph().initializers().values()) {
            assertThat(kv.graph().initializer(w.name()).constant().data()).as(w.name())
                    .isSameAs(w.constant().data());
        }
        Model back = ModelForms.toTraining(kv);
        assertThat(names(back.graph().nodes())).isEqualTo(names(training.graph().nodes()));
        assertThat(back.graph().initializers().keySet()).containsExactlyElementsOf(
                training.graph().initializers().keySet());
        assertThat(back.metadataProps()).isEqualTo(training.metadataProps());
    }

    private static List<String> names(List<Node> nodes) {
        return nodes.stream().map(n -> n.opType() + " " + n.name()).toList();
    }
}
