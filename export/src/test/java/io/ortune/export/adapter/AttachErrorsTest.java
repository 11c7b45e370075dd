package io.ortune.export.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.PeftMetadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adapters that must not attach, each refused with a message naming what is wrong; the base is never changed. */
class AttachErrorsTest {

    @TempDir
    Path tmp;

    private static PeftAdapter llamaAdapter() throws IOException {
        return PeftAdapterFiles.read(PeftGolden.load("llama-lora").dir());
    }

    private static PeftAdapterConfig withInit(PeftAdapterConfig c, String init) {
        return new PeftAdapterConfig(c.peftType(), c.taskType(), c.baseModelNameOrPath(), c.r(), c.loraAlpha(),
                c.loraDropout(), c.targets(), c.fanInFanOut(), c.useRslora(), c.useDora(), c.rankPattern(),
                c.alphaPattern(), c.layersToTransform(), init, c.bias(), c.modulesToSave(), c.feedforwardModules(),
                c.numVirtualTokens(), c.other());
    }

    @Test
    void pissaAdaptersNeedTheirResidualBase() throws IOException {
        PeftAdapter a = llamaAdapter();
        Model base = PeftGolden.load("llama-lora").base();
        PeftAdapter pissa = new PeftAdapter(withInit(a.config(), "pissa"), a.tensors());
        assertThatThrownBy(() -> PeftAdapters.attach(base, pissa)).isInstanceOf(AdapterException.class)
                .hasMessageContaining("init_lora_weights: 'pissa'")
                .hasMessageContaining("path_initial_model_for_weight_conversion");
        PeftAdapter gaussian = new PeftAdapter(withInit(a.config(), "gaussian"), a.tensors());
        assertThat(PeftAdapters.attach(base, gaussian).report().injected()).as("an init that leaves W alone is fine")
                .hasSize(4);
    }

    @Test
    void anAdapterForAnotherBaseIsRefusedBeforeAnyInjection() throws IOException {
        Model gpt2 = PeftGolden.load("gpt2-lora").base();
        assertThatThrownBy(() -> PeftAdapters.attach(gpt2, llamaAdapter())).isInstanceOf(AdapterException.class)
                .hasMessageContaining("the base model has no linear module 'model.layers.0.self_attn.q_proj'");
        assertThat(PeftMetadata.adapters(gpt2)).isEmpty();
    }

    @Test
    void unsupportedFieldsInTheFolderAreNamed() throws IOException {
        PeftGolden g = PeftGolden.load("llama-lora");
        Path dir = Files.createDirectories(tmp.resolve("a"));
        Files.copy(g.dir().resolve(PeftAdapterFiles.WEIGHTS), dir.resolve(PeftAdapterFiles.WEIGHTS));
        Files.writeString(dir.resolve(PeftConfigJson.FILE), Files.readString(g.dir().resolve(PeftConfigJson.FILE))
                .replace("\"modules_to_save\": null", "\"modules_to_save\": [\"lm_head\"]"));
        Model base = g.base();
        assertThatThrownBy(() -> PeftAdapters.attach(base, dir, "default"))
                .hasMessageContaining(dir.resolve(PeftConfigJson.FILE).toString())
                .hasMessageContaining("modules_to_save: [lm_head]");
    }

    @Test
    void anIa3AdapterMissingALayerIsRefused() throws IOException {
        PeftAdapterConfig ia3 = PeftConfigJson.parse("{\"peft_type\":\"IA3\",\"target_modules\":[\"k_proj\"],"
                + "\"feedforward_modules\":[]}", "ia3");
        String k = "base_model.model.model.layers.0.self_attn.k_proj.ia3_l";
        PeftAdapter a = new PeftAdapter(ia3, Map.of(k, Tensor.ofFloats(k, new long[] {16, 1}, new float[16])));
        Model base = PeftGolden.load("llama-lora").base();
        assertThatThrownBy(() -> PeftAdapters.attach(base, a)).hasMessageContaining("missing key "
                + "'base_model.model.model.layers.1.self_attn.k_proj.ia3_l'");
    }

    @Test
    void secondAdapterUnderAnotherNameAndExtractOfAnUnknownName() throws IOException {
        PeftGolden g = PeftGolden.load("llama-lora");
        Injection one = PeftAdapters.attach(g.base(), llamaAdapter(), "first");
        Injection two = PeftAdapters.attach(one.model(), llamaAdapter(), "second");
        assertThat(PeftAdapters.list(two.model())).extracting(AdapterSummary::name)
                .containsExactly("first", "second");
        assertThatThrownBy(() -> PeftAdapters.attach(two.model(), llamaAdapter(), "first"))
                .hasMessageContaining("first");
        assertThatThrownBy(() -> PeftAdapters.extract(two.model(), "third"))
                .hasMessageContaining("no adapter named 'third'").hasMessageContaining("[first, second]");
        assertThat(PeftAdapters.extract(two.model(), "second").tensors().keySet())
                .containsExactlyElementsOf(llamaAdapter().tensors().keySet());
        assertThat(List.of(PeftAdapters.list(two.model()).get(0).toString()))
                .singleElement().asString().contains("first  lora  r=4 alpha=16  4 modules");
    }
}
