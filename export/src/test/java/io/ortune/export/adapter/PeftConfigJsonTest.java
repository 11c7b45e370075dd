package io.ortune.export.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ortune.graph.peft.PeftMethod;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** adapter_config.json both ways: what PEFT writes is read, what ortune writes is what PEFT writes. */
class PeftConfigJsonTest {

    private static String goldenConfig(String name) throws IOException {
        return Files.readString(PeftGolden.root().resolve("export/src/test/resources/golden/peft").resolve(name)
                .resolve(PeftConfigJson.FILE));
    }

    @Test
    void readsPeftsLlamaConfigWithRankPatternAndUnknownFields() throws IOException {
        PeftAdapterConfig c = PeftConfigJson.parse(goldenConfig("llama-lora"), "llama-lora");
        assertThat(c.method()).isEqualTo(PeftMethod.LORA);
        assertThat(c.r()).isEqualTo(4);
        assertThat(c.loraAlpha()).isEqualTo(16.0);
        assertThat(c.taskType()).isEqualTo("CAUSAL_LM");
        assertThat(c.targets().modules()).containsExactly("q_proj", "v_proj");
        assertThat(c.rankOf("model.layers.1.self_attn.q_proj")).isEqualTo(2);
        assertThat(c.rankOf("model.layers.0.self_attn.q_proj")).isEqualTo(4);
        assertThat(c.rankOf("model.layers.11.self_attn.q_proj")).as("layers.1 must not match layers.11").isEqualTo(4);
        assertThat(c.scalingOf("model.layers.1.self_attn.q_proj")).isEqualTo(8.0);
        assertThat(c.scalingOf("model.layers.0.self_attn.v_proj")).isEqualTo(4.0);
        assertThat(c.other()).containsKeys("eva_config", "exclude_modules", "lora_bias", "megatron_core");
        c.requireSupported("llama-lora");
    }

    @Test
    void rsloraScalesByTheSquareRootOfTheRank() throws IOException {
        PeftAdapterConfig c = PeftConfigJson.parse(goldenConfig("bert-lora"), "bert-lora");
        assertThat(c.useRslora()).isTrue();
        assertThat(c.scalingOf("bert.encoder.layer.0.attention.self.query")).isEqualTo(4 / Math.sqrt(4));
    }

    @Test
    void writesWhatPeftWritesAndReadsItBack() throws IOException {
        PeftAdapterConfig read = PeftConfigJson.parse(goldenConfig("gpt2-lora"), "gpt2-lora");
        String written = PeftConfigJson.write(read);
        JsonNode ours = PeftConfigJson.JSON.readTree(written);
        JsonNode peft = PeftConfigJson.JSON.readTree(goldenConfig("gpt2-lora"));
        assertThat(ours).as("a PEFT file survives read + write field for field").isEqualTo(peft);
        assertThat(written + "\n").as("byte for byte what json.dumps(indent=2, sort_keys=True) wrote")
                .isEqualTo(goldenConfig("gpt2-lora"));
        assertThat(PeftConfigJson.parse(written, "again")).isEqualTo(read);
    }

    @Test
    void freshLoraConfigHasPeftsFieldSet() throws IOException {
        PeftAdapterConfig c = PeftAdapterConfig.lora(PeftAdapterConfig.Targets.of(List.of("q_proj", "v_proj")), 8, 16)
                .withTaskType("CAUSAL_LM").withBaseModel("meta-llama/Llama-2-7b-hf");
        JsonNode j = PeftConfigJson.JSON.readTree(PeftConfigJson.write(c));
        for (String f : List.of("peft_type", "task_type", "r", "lora_alpha", "lora_dropout", "target_modules",
                "fan_in_fan_out", "use_rslora", "use_dora", "rank_pattern", "alpha_pattern", "layers_to_transform",
                "init_lora_weights", "bias", "modules_to_save", "base_model_name_or_path", "inference_mode")) {
            assertThat(j.has(f)).as("field " + f).isTrue();
        }
        assertThat(j.get("lora_alpha").isIntegralNumber()).as("PEFT types lora_alpha as int").isTrue();
        assertThat(j.get("init_lora_weights").isBoolean()).isTrue();
        assertThat(j.get("target_modules").isArray()).isTrue();
        assertThat(j.get("layers_to_transform").isNull()).isTrue();
    }

    @Test
    void regexTargetsAreAStringAndSelectByFullMatch() {
        PeftAdapterConfig c = parse("{\"peft_type\":\"LORA\",\"r\":4,\"lora_alpha\":8,"
                + "\"target_modules\":\".*\\\\.(q_proj|v_proj)\"}");
        assertThat(c.targets().regex()).isEqualTo(".*\\.(q_proj|v_proj)");
        assertThat(c.targets().toTargetSpec().matches("model.layers.0.self_attn.q_proj")).isTrue();
        assertThat(c.targets().toTargetSpec().matches("model.layers.0.self_attn.q_proj_x")).isFalse();
        assertThat(parse(PeftConfigJson.write(c)).targets()).isEqualTo(c.targets());
    }

    @Test
    void layersToTransformAcceptsAnIntOrAList() {
        assertThat(parse("{\"peft_type\":\"LORA\",\"target_modules\":[\"q\"],\"layers_to_transform\":3}")
                .layers().orElseThrow().toArray()).containsExactly(3);
        assertThat(parse("{\"peft_type\":\"LORA\",\"target_modules\":[\"q\"],\"layers_to_transform\":[0,2]}")
                .layers().orElseThrow().toArray()).containsExactly(0, 2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"bias\":\"all\"|bias: 'all'",
        "\"bias\":\"lora_only\"|bias: 'lora_only'",
        "\"modules_to_save\":[\"classifier\"]|modules_to_save: [classifier]",
        "\"lora_bias\":true|lora_bias: set to true",
        "\"layer_replication\":[[0,2]]|layer_replication: set to",
        "\"exclude_modules\":[\"lm_head\"]|exclude_modules: set to"})
    void refusesFieldsThatChangeTheMathNamingThem(String field, String message) {
        PeftAdapterConfig c = parse("{\"peft_type\":\"LORA\",\"r\":4,\"target_modules\":[\"q_proj\"]," + field + "}");
        assertThatThrownBy(() -> c.requireSupported("dir/adapter_config.json"))
                .isInstanceOf(AdapterException.class)
                .hasMessageStartingWith("dir/adapter_config.json: ")
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"peft_type\":\"LOHA\",\"r\":4}|peft_type: unknown value 'LOHA'",
        "{\"r\":4,\"target_modules\":[\"q\"]}|peft_type: missing",
        "{\"peft_type\":\"LORA\",\"r\":0,\"target_modules\":[\"q\"]}|r: must be a positive rank, got 0",
        "{\"peft_type\":\"LORA\",\"r\":\"8\",\"target_modules\":[\"q\"]}|r: expected an integer, found \"8\"",
        "{\"peft_type\":\"LORA\",\"r\":8}|target_modules: LORA needs target modules",
        "{\"peft_type\":\"LORA\",\"r\":8,\"target_modules\":\"(\"}|target_modules: '(' is not a valid regular",
        "{\"peft_type\":\"LORA\",\"r\":8,\"target_modules\":[\"q\"],\"rank_pattern\":{\"q\":0}}|rank_pattern: rank",
        "{\"peft_type\":\"LORA\",\"r\":8,\"target_modules\":[\"q\"],\"use_rslora\":1}|use_rslora: expected true",
        "{\"peft_type\":\"PROMPT_TUNING\"}|num_virtual_tokens: PROMPT_TUNING needs a positive count",
        "[1,2]|must hold a JSON object",
        "{\"peft_type\":|not valid JSON"})
    void badConfigsFailNamingTheField(String json, String message) {
        assertThatThrownBy(() -> PeftConfigJson.parse(json, "x/adapter_config.json"))
                .isInstanceOf(AdapterException.class)
                .hasMessageStartingWith("x/adapter_config.json: ")
                .hasMessageContaining(message);
    }

    @Test
    void collectsEveryProblemAtOnce() {
        assertThatThrownBy(() -> PeftConfigJson.parse("{\"peft_type\":\"LORA\",\"r\":-1,\"lora_alpha\":\"x\","
                + "\"bias\":7}", "f"))
                .isInstanceOfSatisfying(AdapterException.class, e -> assertThat(e.issues())
                        .anyMatch(i -> i.startsWith("lora_alpha:")).anyMatch(i -> i.startsWith("bias:")));
    }

    @Test
    void otherMethodsMapToOrtuneMethods() {
        assertThat(parse("{\"peft_type\":\"LORA\",\"target_modules\":[\"q\"],\"use_dora\":true}").method())
                .isEqualTo(PeftMethod.DORA);
        assertThat(parse("{\"peft_type\":\"IA3\",\"target_modules\":[\"k\",\"down_proj\"],"
                + "\"feedforward_modules\":[\"down_proj\"]}").method()).isEqualTo(PeftMethod.IA3);
        PeftAdapterConfig prompt = parse("{\"peft_type\":\"PROMPT_TUNING\",\"num_virtual_tokens\":20,"
                + "\"token_dim\":768,\"num_transformer_submodules\":1}");
        assertThat(prompt.method()).isEqualTo(PeftMethod.PROMPT);
        assertThat(prompt.other()).containsEntry("token_dim", 768);
        assertThat(parse(PeftConfigJson.write(prompt)).other()).containsEntry("token_dim", 768)
                .containsEntry("num_transformer_submodules", 1);
        assertThat(parse(PeftConfigJson.write(prompt)).numVirtualTokens()).isEqualTo(20);
    }

    private static PeftAdapterConfig parse(String json) {
        return PeftConfigJson.parse(json, "test");
    }
}
