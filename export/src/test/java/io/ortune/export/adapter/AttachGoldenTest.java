package io.ortune.export.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.PeftMethod;
import io.ortune.graph.peft.PeftMetadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PEFT golden adapters attached through the LoRA pass to the ortune-built bases, run in ONNX Runtime against the
 * PyTorch outputs; then ortune → PEFT folder → ortune, bit for bit.
 */
class AttachGoldenTest {


    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-lora", "gpt2-lora-layers", "llama-lora", "llama-dora", "bert-lora"})
    void attachedAdapterMatchesPyTorch(String name) throws IOException {
        PeftGolden g = PeftGolden.load(name);
        Model base = g.base();
        Injection inj = PeftAdapters.attach(base, g.dir(), "default");
        assertThat(PeftMetadata.adapters(base)).as("the base is not changed").isEmpty();
        Tensor logits = PeftGolden.run(inj.model(), g.feeds()).get("logits");
        double err = Close.assertClose(name + " attached", logits, g.expected(), g.compareFlags(),
                Close.FP32_VS_FP64);
        System.out.println(name + " attached via LoraPass: max abs error vs PyTorch " + err);
        PeftAdapter file = PeftAdapterFiles.read(g.dir());
        AdapterInfo info = PeftMetadata.adapter(inj.model(), "default").orElseThrow();
        assertThat(info.tensors().keySet()).containsExactlyInAnyOrderElementsOf(file.tensors().keySet());
        for (Map.Entry<String, String> e : info.tensors().entrySet()) {
            Tensor attached = inj.model().graph().initializer(e.getValue()).constant();
            assertThat(attached.contentEquals(file.tensor(e.getKey()))).as(e.getKey() + " bit for bit").isTrue();
        }
        assertThat(inj.report().injected()).hasSize(file.modules().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-lora", "gpt2-lora-layers", "llama-lora", "llama-dora", "bert-lora"})
    void roundTripOrtuneToPeftToOrtuneIsBitExact(String name) throws IOException {
        PeftGolden g = PeftGolden.load(name);
        Model base = g.base();
        Injection first = PeftAdapters.attach(base, g.dir(), "default");
        Path out = tmp.resolve(name);
        PeftAdapters.extractTo(first.model(), "default", out);
        assertThat(Files.readAllBytes(out.resolve(PeftAdapterFiles.WEIGHTS)))
                .as("extracted weights file == PEFT's file, byte for byte")
                .isEqualTo(Files.readAllBytes(g.dir().resolve(PeftAdapterFiles.WEIGHTS)));
        PeftAdapterConfig original = PeftAdapterFiles.read(g.dir()).config();
        PeftAdapterConfig extracted = PeftAdapterFiles.read(out).config();
        assertThat(withoutOther(extracted)).isEqualTo(withoutOther(original));
        Injection second = PeftAdapters.attach(base, out, "default");
        float[] a = PeftGolden.run(first.model(), g.feeds()).get("logits").toFloats();
        float[] b = PeftGolden.run(second.model(), g.feeds()).get("logits").toFloats();
        assertThat(b).as("same graph, same tensors: identical logits").containsExactly(a);
        assertThat(PeftAdapters.list(second.model())).singleElement().satisfies(s -> {
            assertThat(s.method()).isEqualTo(original.method());
            assertThat(s.r()).isEqualTo(original.r());
            assertThat(s.alpha()).isEqualTo(original.loraAlpha());
            assertThat(s.trainableParams()).isEqualTo(PeftAdapterFiles.read(g.dir()).parameterCount());
            assertThat(s.active()).isTrue();
        });
    }

    @Test
    void regexTargetModulesAttachTheSameModules() throws IOException {
        PeftGolden g = PeftGolden.load("llama-lora");
        Path dir = Files.createDirectories(tmp.resolve("regex"));
        Files.copy(g.dir().resolve(PeftAdapterFiles.WEIGHTS), dir.resolve(PeftAdapterFiles.WEIGHTS));
        String cfg = Files.readString(g.dir().resolve(PeftConfigJson.FILE));
        String regex = cfg.replaceAll("\"target_modules\": \\[[^\\]]*\\]",
                "\"target_modules\": \".*\\\\\\\\.(q_proj|v_proj)\"");
        assertThat(regex).contains("\"target_modules\": \".*\\\\.(q_proj|v_proj)\"");
        Files.writeString(dir.resolve(PeftConfigJson.FILE), regex);
        assertThat(PeftAdapterFiles.read(dir).config().targets().regex()).isEqualTo(".*\\.(q_proj|v_proj)");
        Injection inj = PeftAdapters.attach(g.base(), dir, "default");
        Close.assertClose("llama-lora, regex targets", PeftGolden.run(inj.model(), g.feeds()).get("logits"),
                g.expected(), g.compareFlags(), Close.FP32_VS_FP64);
    }

    static PeftAdapterConfig withoutOther(PeftAdapterConfig c) {
        return new PeftAdapterConfig(c.peftType(), c.taskType(), c.baseModelNameOrPath(), c.r(), c.loraAlpha(),
                c.loraDropout(), c.targets(), c.fanInFanOut(), c.useRslora(), c.useDora(), c.rankPattern(),
                c.alphaPattern(), c.layersToTransform(), c.initLoraWeights(), c.bias(), c.modulesToSave(),
                c.feedforwardModules(), c.numVirtualTokens(), Map.of());
    }
}
