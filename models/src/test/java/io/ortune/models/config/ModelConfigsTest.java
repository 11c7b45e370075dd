package io.ortune.models.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelConfigsTest {

    @TempDir
    Path dir;

    private static Path resource(String name) {
        try {
            return Path.of(ModelConfigsTest.class.getResource("/configs/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ModelConfig read(String name) throws IOException {
        return ModelConfigs.read(resource(name));
    }

    private static ModelConfig parse(String json) {
        return ModelConfigs.parse(json, "test.json");
    }

    @Test
    void gpt2() throws IOException {
        Gpt2Config c = (Gpt2Config) read("gpt2.json");
        assertThat(c).isEqualTo(new Gpt2Config(768, 12, 12, 1024, 3072, 50257, 1e-5, "gelu_new", true,
                OptionalInt.of(50256), OptionalInt.of(50256), 0.1, 0.1, 0.1));
        assertThat(c.headDim()).isEqualTo(64);
        assertThat(c.modelType()).isEqualTo("gpt2");
    }

    @Test
    void llama2() throws IOException {
        LlamaConfig c = (LlamaConfig) read("llama2-7b.json");
        assertThat(c).isEqualTo(new LlamaConfig(LlamaConfig.Variant.LLAMA, 4096, 11008, 32, 32, 32, 128, 32000, 1e-5,
                10000.0, Optional.empty(), 4096, false, false, false, "silu", OptionalInt.of(1), List.of(2),
                OptionalInt.empty(), OptionalInt.empty()));
        assertThat(c.groupSize()).isEqualTo(1);
        assertThat(c.oProjBias()).isFalse();
    }

    @Test
    void llama31WithLlama3RopeScalingAndSeveralEosIds() throws IOException {
        LlamaConfig c = (LlamaConfig) read("llama3.1-8b-instruct.json");
        assertThat(c.numKeyValueHeads()).isEqualTo(8);
        assertThat(c.kvDim()).isEqualTo(1024);
        assertThat(c.ropeTheta()).isEqualTo(500000.0);
        assertThat(c.ropeScaling()).contains(new RopeScaling.Llama3(8.0, 1.0, 4.0, 8192));
        assertThat(c.eosTokenIds()).containsExactly(128001, 128008, 128009);
        assertThat(c.bosTokenId()).hasValue(128000);
        RopeScaling.requireSupported(c.ropeScaling().get(), "a builder", List.of("linear", "llama3"));
    }

    @Test
    void mistralReportsItsSlidingWindow() throws IOException {
        LlamaConfig c = (LlamaConfig) read("mistral-7b.json");
        assertThat(c.variant()).isEqualTo(LlamaConfig.Variant.MISTRAL);
        assertThat(c.modelType()).isEqualTo("mistral");
        assertThat(c.slidingWindow()).hasValue(4096);
        assertThat(c.maxPositionEmbeddings()).isEqualTo(32768);
        assertThat(((LlamaConfig) parse("{\"model_type\":\"mistral\",\"hidden_size\":8,\"intermediate_size\":8,"
                + "\"num_hidden_layers\":1,\"num_attention_heads\":2,\"vocab_size\":4,\"sliding_window\":null}"))
                .slidingWindow()).isEmpty();
    }

    @Test
    void qwen2HasQkvBiasesButNoOutputBias() throws IOException {
        LlamaConfig c = (LlamaConfig) read("qwen2-0.5b.json");
        assertThat(c.variant()).isEqualTo(LlamaConfig.Variant.QWEN2);
        assertThat(c.attentionBias()).isTrue();
        assertThat(c.qkvBias()).isTrue();
        assertThat(c.oProjBias()).isFalse();
        assertThat(c.headDim()).isEqualTo(64);
        assertThat(c.groupSize()).isEqualTo(7);
        assertThat(c.tieWordEmbeddings()).isTrue();
        assertThat(c.ropeTheta()).isEqualTo(1_000_000.0);
        assertThat(c.slidingWindow()).as("use_sliding_window is false").isEmpty();
        assertThat(c.eosTokenIds()).containsExactly(151643);
    }

    @Test
    void bertWithDefaultAndExplicitLabels() throws IOException {
        BertConfig c = (BertConfig) read("bert-base-uncased.json");
        assertThat(c).isEqualTo(new BertConfig(768, 12, 12, 3072, "gelu", 512, 2, 30522, 1e-12, 0.1, 0.1,
                List.of("LABEL_0", "LABEL_1"), 0));
        assertThat(c.numLabels()).isEqualTo(2);

        BertConfig s = (BertConfig) parse("{\"model_type\":\"bert\",\"hidden_size\":32,\"num_hidden_layers\":2,"
                + "\"num_attention_heads\":4,\"intermediate_size\":37,\"vocab_size\":99,"
                + "\"id2label\":{\"1\":\"POSITIVE\",\"0\":\"NEGATIVE\",\"2\":\"NEUTRAL\"}}");
        assertThat(s.labels()).containsExactly("NEGATIVE", "POSITIVE", "NEUTRAL");
        assertThat(((BertConfig) parse("{\"model_type\":\"bert\",\"hidden_size\":32,\"num_hidden_layers\":2,"
                + "\"num_attention_heads\":4,\"intermediate_size\":37,\"vocab_size\":99,\"num_labels\":5}"))
                .numLabels()).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2.json", "llama2-7b.json", "llama3.1-8b-instruct.json", "mistral-7b.json",
            "qwen2-0.5b.json", "bert-base-uncased.json"})
    void everyConfigSerializesBackToAnEqualRecord(String name) throws IOException {
        ModelConfig c = read(name);
        ModelConfig again = ModelConfigs.parse(c.toJson(), "metadata");
        assertThat(again).isEqualTo(c);
        assertThat(c.toJsonNode().get("model_type").asText()).isEqualTo(c.modelType());
        assertThat(ModelConfigs.parse(c.toJson(), "metadata", c.getClass())).isEqualTo(c);
    }

    @Test
    void roundTripKeepsOptionalFeatures() {
        LlamaConfig c = new LlamaConfig(LlamaConfig.Variant.QWEN2, 64, 96, 2, 4, 2, 16, 100, 1e-6, 1e6,
                Optional.of(new RopeScaling.Yarn(4.0, OptionalInt.of(32768), java.util.OptionalDouble.of(0.8), 32, 1)),
                4096, true, true, false, "silu", OptionalInt.empty(), List.of(), OptionalInt.of(0),
                OptionalInt.of(1024));
        assertThat(ModelConfigs.parse(c.toJson(), "m")).isEqualTo(c);
        Gpt2Config g = new Gpt2Config(8, 1, 2, 16, 20, 10, 1e-5, "relu", false, OptionalInt.empty(),
                OptionalInt.empty(), 0, 0, 0);
        assertThat(ModelConfigs.parse(g.toJson(), "m")).isEqualTo(g);
        for (RopeScaling r : List.of(new RopeScaling.Linear(2), new RopeScaling.Dynamic(3))) {
            LlamaConfig l = new LlamaConfig(LlamaConfig.Variant.LLAMA, 64, 96, 2, 4, 4, 16, 100, 1e-6, 1e4,
                    Optional.of(r), 4096, false, false, true, "silu", OptionalInt.of(1), List.of(2),
                    OptionalInt.empty(), OptionalInt.empty());
            assertThat(ModelConfigs.parse(l.toJson(), "m")).isEqualTo(l);
        }
    }

    @Test
    void readsConfigJsonFromAFolder() throws IOException {
        Files.copy(resource("gpt2.json"), dir.resolve("config.json"));
        assertThat(ModelConfigs.read(dir)).isInstanceOf(Gpt2Config.class);
        assertThatThrownBy(() -> ModelConfigs.read(dir.resolve("nope"))).hasMessageContaining("config.json");
    }

    @Test
    void headDimMayDifferFromHiddenOverHeadsAndRopeParametersAreRead() {
        LlamaConfig c = (LlamaConfig) parse("{\"model_type\":\"mistral\",\"hidden_size\":5120,"
                + "\"intermediate_size\":14336,\"num_hidden_layers\":40,\"num_attention_heads\":32,"
                + "\"num_key_value_heads\":8,\"head_dim\":128,\"vocab_size\":131072,"
                + "\"rope_parameters\":{\"rope_type\":\"linear\",\"factor\":2.0,\"rope_theta\":1000000.0}}");
        assertThat(c.headDim()).isEqualTo(128);
        assertThat(c.ropeTheta()).isEqualTo(1e6);
        assertThat(c.ropeScaling()).contains(new RopeScaling.Linear(2.0));
    }

    // ---- errors --------------------------------------------------------------------------------------------------

    @Test
    void unknownModelTypeListsTheSupportedOnes() {
        assertThatThrownBy(() -> parse("{\"model_type\":\"falcon\",\"hidden_size\":8}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("test.json")
                .hasMessageContaining("model_type 'falcon' is not supported")
                .hasMessageContaining("gpt2, llama, mistral, qwen2, bert");
        assertThatThrownBy(() -> parse("{\"hidden_size\":8}")).hasMessageContaining("no 'model_type'");
        assertThatThrownBy(() -> parse("[1]")).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> parse("{oops")).hasMessageContaining("not valid JSON");
    }

    private static String llamaWithRope(String rope) {
        return "{\"model_type\":\"llama\",\"hidden_size\":64,\"intermediate_size\":96,\"num_hidden_layers\":2,"
                + "\"num_attention_heads\":4,\"vocab_size\":100,\"rope_scaling\":" + rope + "}";
    }

    @Test
    void unsupportedRopeTypeFailsListingTheSupportedOnes() {
        assertThatThrownBy(() -> parse(llamaWithRope("{\"rope_type\":\"longrope\",\"factor\":2}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rope_scaling type 'longrope' is not supported")
                .hasMessageContaining("default, linear, dynamic, llama3, yarn");
        assertThatThrownBy(() -> parse(llamaWithRope("{\"factor\":2}"))).hasMessageContaining("no 'rope_type'");
        assertThatThrownBy(() -> parse(llamaWithRope("{\"rope_type\":\"llama3\",\"factor\":8}")))
                .hasMessageContaining("missing required key 'low_freq_factor'");
        assertThat(((LlamaConfig) parse(llamaWithRope("{\"type\":\"default\"}"))).ropeScaling()).isEmpty();
        assertThat(((LlamaConfig) parse(llamaWithRope("{\"type\":\"linear\",\"factor\":4}"))).ropeScaling())
                .contains(new RopeScaling.Linear(4));
    }

    @Test
    void yarnParsesButABuilderThatCannotDoItFailsClearly() {
        LlamaConfig c = (LlamaConfig) parse(llamaWithRope(
                "{\"rope_type\":\"yarn\",\"factor\":4.0,\"original_max_position_embeddings\":32768}"));
        RopeScaling yarn = c.ropeScaling().orElseThrow();
        assertThat(yarn).isEqualTo(new RopeScaling.Yarn(4.0, OptionalInt.of(32768), java.util.OptionalDouble.empty(),
                32, 1));
        assertThatThrownBy(() -> RopeScaling.requireSupported(yarn, "the Llama ONNX builder",
                List.of("linear", "llama3")))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("rope_scaling type 'yarn' is not implemented by the Llama ONNX builder "
                        + "(it implements: none, linear, llama3)");
        RopeScaling.requireSupported(null, "anything", List.of());
    }

    @Test
    void missingOrMistypedKeysAndInvalidValuesNameTheKey() {
        assertThatThrownBy(() -> parse("{\"model_type\":\"gpt2\",\"n_layer\":2,\"n_head\":2,\"vocab_size\":5}"))
                .hasMessageContaining("missing required key 'n_embd'");
        assertThatThrownBy(() -> parse("{\"model_type\":\"gpt2\",\"n_embd\":\"8\",\"n_layer\":2,\"n_head\":2,"
                + "\"vocab_size\":5}")).hasMessageContaining("'n_embd' must be an integer, got \"8\"");
        assertThatThrownBy(() -> parse("{\"model_type\":\"gpt2\",\"n_embd\":9,\"n_layer\":2,\"n_head\":2,"
                + "\"vocab_size\":5}")).hasMessageContaining("n_embd 9 must be a multiple of n_head 2");
        assertThatThrownBy(() -> parse("{\"model_type\":\"llama\",\"hidden_size\":64,\"intermediate_size\":96,"
                + "\"num_hidden_layers\":2,\"num_attention_heads\":4,\"num_key_value_heads\":3,\"vocab_size\":9}"))
                .hasMessageContaining("num_attention_heads 4 must be a multiple of num_key_value_heads 3");
        assertThatThrownBy(() -> parse("{\"model_type\":\"llama\",\"hidden_size\":64,\"intermediate_size\":96,"
                + "\"num_hidden_layers\":2,\"num_attention_heads\":4,\"vocab_size\":9,\"hidden_act\":\"mish\"}"))
                .hasMessageContaining("hidden_act 'mish' is not supported").hasMessageContaining("silu");
        assertThatThrownBy(() -> parse("{\"model_type\":\"llama\",\"hidden_size\":65,\"intermediate_size\":96,"
                + "\"num_hidden_layers\":2,\"num_attention_heads\":4,\"vocab_size\":9}"))
                .hasMessageContaining("not a multiple of num_attention_heads 4 and no head_dim");
    }

    @Test
    void unsupportedOptionsAreRefused() {
        String gpt2 = "{\"model_type\":\"gpt2\",\"n_embd\":8,\"n_layer\":1,\"n_head\":2,\"vocab_size\":5,";
        assertThatThrownBy(() -> parse(gpt2 + "\"scale_attn_by_inverse_layer_idx\":true}"))
                .hasMessageContaining("scale_attn_by_inverse_layer_idx=true is not supported");
        assertThatThrownBy(() -> parse(gpt2 + "\"add_cross_attention\":true}"))
                .hasMessageContaining("add_cross_attention");
        String bert = "{\"model_type\":\"bert\",\"hidden_size\":32,\"num_hidden_layers\":2,"
                + "\"num_attention_heads\":4,\"intermediate_size\":37,\"vocab_size\":99,";
        assertThatThrownBy(() -> parse(bert + "\"position_embedding_type\":\"relative_key\"}"))
                .hasMessageContaining("position_embedding_type 'relative_key' is not supported (supported: absolute)");
        assertThatThrownBy(() -> parse(bert + "\"id2label\":{\"0\":\"a\",\"2\":\"b\"}}"))
                .hasMessageContaining("id2label ids must be 0..1");
        assertThatThrownBy(() -> parse(bert + "\"num_labels\":3,\"id2label\":{\"0\":\"a\",\"1\":\"b\"}}"))
                .hasMessageContaining("num_labels 3 disagrees with id2label");
        assertThatThrownBy(() -> ModelConfigs.parse(gpt2 + "\"n_inner\":16}", "x", LlamaConfig.class))
                .hasMessageContaining("expected a LlamaConfig but model_type is 'gpt2'");
    }
}
