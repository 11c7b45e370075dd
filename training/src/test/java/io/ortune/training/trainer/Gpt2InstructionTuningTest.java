package io.ortune.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.arch.ModelMetadata;
import io.ortune.models.config.ModelConfigs;
import io.ortune.models.generate.GenerationConfig;
import io.ortune.models.generate.GenerationResult;
import io.ortune.models.generate.Generator;
import io.ortune.models.tokenizer.Tokenizer;
import io.ortune.models.tokenizer.Tokenizers;
import io.ortune.runtime.SessionOptions;
import io.ortune.training.data.AlpacaTemplate;
import io.ortune.training.data.Collator;
import io.ortune.training.data.DataFormat;
import io.ortune.training.data.LoadOptions;
import io.ortune.training.data.Rows;
import io.ortune.training.data.TrainingData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small GPT-2 with the real 50,257-token vocabulary, trained for 40 AdamW steps on the bundled Alpaca instruction
 * data, lowers the held-out perplexity (from about the vocabulary size, as random weights give, to less than a
 * tenth of it); the exported model keeps the original's inputs, outputs, initializer names and ortune metadata, and
 * generates through the KV-cache generation API.
 */
class Gpt2InstructionTuningTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void runtime() {
        Checks.assumeTraining();
    }

    static Path testdata() {
        Path root = Path.of(System.getProperty("ortune.root", ".."));
        Path t = root.resolve("testdata");
        Assumptions.assumeTrue(Files.isDirectory(t.resolve("instruct")) && Files.isDirectory(t.resolve("tokenizers")),
                "bundled testdata not found under " + root.toAbsolutePath());
        return t;
    }

    @Test
    void instructionTuningLowersPerplexityAndTheExportGenerates() throws IOException {
        Path data = testdata();
        try (Tokenizer tok = Tokenizers.load(data.resolve("tokenizers/gpt2"))) {
            Model model = ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"gpt2\",\"vocab_size\":"
                    + tok.vocabSize() + ",\"n_positions\":64,\"n_embd\":32,\"n_layer\":1,\"n_head\":2}", "test"), 3,
                    Form.TRAINING);
            TrainingData.Prepared prepared = TrainingData.prepare(data.resolve("instruct/instruction-data.json"), null,
                    tok, new LoadOptions(DataFormat.ALPACA, 64, false, true, tok.vocabSize()), Rows.Layout.PACK, 0.05,
                    1);
            // block 64 cuts some long prompts before their response: those have nothing to learn from and are skipped
            assertThat(prepared.trainReport().examples() + prepared.trainReport().empty()).isEqualTo(1100);
            assertThat(prepared.trainReport().truncated()).isPositive();
            TrainerConfig cfg = TrainerConfig.builder().lr(5e-3).schedule(LrSchedule.Kind.LINEAR).warmupSteps(2)
                    .batchSize(8).maxSteps(40).threads(2).seed(1).build();
            TrainResult r = Trainer.train(new TrainRequest(model, prepared.trainRows(), prepared.evalRows(),
                    new Collator(tok.eosId().orElse(0)), dir, cfg, false), TrainingListener.NONE);
            double before = r.initialEval().perplexity();
            double after = r.finalEval().perplexity();
            System.out.printf("held-out perplexity %.1f -> %.1f over %d tokens%n", before, after,
                    r.finalEval().tokens());
            assertThat(before).as("random init perplexity").isGreaterThan(10_000);
            assertThat(after).as("perplexity after 40 steps (before: %s)", before).isLessThan(before / 10);

            Model exported = OnnxReader.read(r.model());
            assertThat(names(exported.graph().initializers().keySet()))
                    .isEqualTo(names(model.graph().initializers().keySet()));
            assertThat(exported.graph().inputs()).extracting(Value::name)
                    .containsExactlyElementsOf(model.graph().inputs().stream().map(Value::name).toList());
            assertThat(exported.graph().outputs()).extracting(Value::name).containsExactly("logits");
            assertThat(ModelMetadata.read(exported, "export").form()).isEqualTo(Form.TRAINING);
            ModelFactory.fromOnnx(r.model());

            int[] prompt = tok.encode(AlpacaTemplate.prompt("Name three primary colors.", ""));
            try (Generator g = Generator.open(r.model(), SessionOptions.builder().intraOpThreads(2).build())) {
                GenerationResult out = g.generate(prompt, GenerationConfig.greedy(8));
                assertThat(out.generatedIds()).isNotEmpty();
                for (int id : out.generatedIds()) {
                    assertThat(id).isBetween(0, tok.vocabSize() - 1);
                }
            }
        }
    }

    private static Set<String> names(Set<String> s) {
        return new TreeSet<>(s);
    }
}
