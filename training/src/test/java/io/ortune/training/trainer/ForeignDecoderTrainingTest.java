package io.ortune.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.io.NpyFiles;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.runtime.InferenceSession;
import io.ortune.training.data.Example;
import io.ortune.training.objective.CausalLmSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoder ortune did not build (exported by {@code tools/foreign_decoder.py} with {@code torch.onnx.export}: its own
 * names, exporter weight names such as {@code onnx::MatMul_123}, no ortune metadata) trains through the same
 * trainer: its signature is recognised, ONNX Runtime reproduces PyTorch's logits, and a few steps lower the loss.
 */
class ForeignDecoderTrainingTest {

    static Path golden(String file) throws URISyntaxException {
        return Path.of(ForeignDecoderTrainingTest.class.getResource("/golden/foreign/" + file).toURI());
    }

    static Model foreign() throws Exception {
        return OnnxReader.read(golden("tiny_decoder.onnx"));
    }

    @Test
    void signatureIsRecognised() throws Exception {
        CausalLmSignature s = CausalLmSignature.of(foreign(), "tiny_decoder.onnx");
        assertThat(s.vocab()).isEqualTo(512);
        assertThat(s.inputs()).containsExactly("input_ids", "attention_mask");
    }

    @Test
    void aGraphWithoutLogitsOrWithUnknownInputsIsRefusedNamingBoth() throws Exception {
        Model m = foreign();
        m.graph().outputs().get(0).setName("scores");
        m.graph().addInput("token_type_ids", m.graph().inputs().get(0).type());
        assertThatThrownBy(() -> CausalLmSignature.of(m, "x.onnx"))
                .hasMessageContaining("x.onnx is not a causal-LM training graph")
                .hasMessageContaining("input 'token_type_ids' is not one the trainer can feed")
                .hasMessageContaining("no 'logits' output (outputs: [scores])");
    }

    @Test
    void onnxRuntimeReproducesPyTorchLogits() throws Exception {
        Checks.assumeTraining();
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put("input_ids", NpyFiles.read(golden("tiny_decoder_ids.npy"), "input_ids"));
        feeds.put("attention_mask", NpyFiles.read(golden("tiny_decoder_mask.npy"), "attention_mask"));
        float[] expected = NpyFiles.read(golden("tiny_decoder_logits.npy")).toFloats();
        try (InferenceSession s = InferenceSession.fromBytes(OnnxWriter.toBytes(foreign()))) {
            float[] got = s.run(feeds, List.of("logits")).get("logits").toFloats();
            // float32 on both sides, different kernels and summation order; logits reach |10|.
            Checks.assertClose("foreign decoder logits vs PyTorch", got, expected, 1e-4, 1e-4);
        }
    }

    @Test
    void fullFineTuningLowersTheLoss(@TempDir Path dir) throws Exception {
        Checks.assumeTraining();
        List<Example> rows = repeatingRows(16, 16);
        TrainResult r = Trainer.train(new TrainRequest(foreign(), rows, rows.subList(0, 4), TinyLm.collator(),
                dir.resolve("run"), TinyLm.sgd(0.5).maxSteps(30).batchSize(4).evalEvery(30).build(), false),
                TrainingListener.NONE);
        assertThat(r.finalEval().loss()).isLessThan(r.initialEval().loss() * 0.5);
        assertThat(OnnxReader.read(r.model()).graph().inputs()).extracting(v -> v.name())
                .containsExactly("input_ids", "attention_mask");
    }

    @Test
    void loraOnTheExportTrainsOnlyTheAdapterFoundFromExporterNodeNames(@TempDir Path dir) throws Exception {
        Checks.assumeTraining();
        Model base = foreign();
        io.ortune.graph.peft.Injection inj = io.ortune.graph.peft.PeftInjector.inject(base,
                io.ortune.graph.peft.PeftSettings.of(io.ortune.graph.peft.PeftMethod.LORA));
        // The exporter names weights onnx::MatMul_N; the modules come from node names such as
        // /layers.0/attn/q_proj/MatMul, and PEFT's default Llama-style targets q_proj,v_proj are found there.
        assertThat(inj.report().injected()).hasSize(4).allMatch(l -> l.startsWith("layers."));
        Model lora = inj.model();
        List<Example> rows = repeatingRows(16, 16);
        TrainResult r = Trainer.train(new TrainRequest(lora, rows, rows.subList(0, 4), TinyLm.collator(),
                dir.resolve("run"), TinyLm.sgd(1.0).maxSteps(30).batchSize(4).evalEvery(30)
                        .trainable(Trainables.of(null, null, lora)).build(), false), TrainingListener.NONE);
        assertThat(r.finalEval().loss()).isLessThan(r.initialEval().loss());
        Model trained = OnnxReader.read(r.model());
        for (var e : base.graph().initializers().entrySet()) {
            assertThat(trained.graph().initializer(e.getKey()).constant().contentEquals(e.getValue().constant()))
                    .as("base weight %s unchanged", e.getKey()).isTrue();
        }
        assertThat(r.parameters().trainable()).hasSize(8).allSatisfy((k, v) -> assertThat(k).contains(".lora_"));
    }

    /** Rows that follow a fixed cycle of 8 ids, so the next token is learnable. */
    static List<Example> repeatingRows(int n, int length) throws IOException {
        List<Example> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] ids = new int[length];
            for (int t = 0; t < length; t++) {
                ids[t] = 100 + (i + t) % 8;
            }
            rows.add(Example.causal(ids));
        }
        return rows;
    }
}
