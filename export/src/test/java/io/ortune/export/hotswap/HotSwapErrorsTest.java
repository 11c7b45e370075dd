package io.ortune.export.hotswap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.export.adapter.AdapterException;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.peft.AdapterSwitch;
import io.ortune.graph.peft.DoraPass;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.TargetSpec;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.LoraAdapter;
import io.ortune.runtime.OrtException;
import io.ortune.runtime.RunOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad adapters, files and graphs: each refused with a message naming what is wrong, nothing written. */
class HotSwapErrorsTest {

    static Model base;
    static Model withA;
    static HotSwapGraph.Result hot;

    @TempDir
    Path tmp;

    @BeforeAll
    static void models() {
        base = TinyLora.gpt2(24);
        withA = TinyLora.withLora(base, "default", 4, 8, 1);
        hot = HotSwapGraph.make(withA, "default");
    }

    @Test
    void adapterForAnotherBaseIsRefusedByModule() {
        Model other = TinyLora.withLora(TinyLora.gpt2(30), "default", 4, 8, 1);
        assertThatThrownBy(() -> HotSwapAdapters.forLayout(other, "default", hot.layout()))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("module transformer.h.0.attn.c_attn: features in 30 out 90, the graph's module "
                        + "has in 24 out 72 (an adapter for another base)");
        OnnxAdapter foreign = HotSwapAdapters.of(other, "default");
        assertThatThrownBy(() -> HotSwapChecks.check(foreign, "other.onnx_adapter", hot.model(), "hot.onnx"))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("other.onnx_adapter (for hot.onnx)")
                .hasMessageContaining("parameter 'transformer.h.0.attn.c_attn.lora_A.default.weight' has shape "
                        + "[4, 30]; the graph input has [4, 24]");
    }

    @Test
    void higherRankIsRefusedWithTheRule() {
        Model r8 = TinyLora.withLora(base, "big", 8, 8, 3);
        assertThatThrownBy(() -> HotSwapAdapters.forLayout(r8, "big", hot.layout()))
                .hasMessageContaining("rank 8 is above the graph's rank 4")
                .hasMessageContaining("make the hot-swap graph from an adapter of rank >= 8");
    }

    @Test
    void moduleTheGraphLacksIsRefused() {
        Model attnOnly = TinyLora.withLora(base, "default", 4, 8, 1);
        LoraConfig mlp = LoraConfig.of(TargetSpec.parse("c_fc")).withR(4).withAdapterName("default");
        Model hotMlp = HotSwapGraph.make(new io.ortune.graph.peft.LoraPass(mlp).inject(base).model(), "default")
                .model();
        assertThatThrownBy(() -> HotSwapAdapters.forLayout(attnOnly, "default", HotSwapGraph.layout(hotMlp)))
                .hasMessageContaining("module transformer.h.0.attn.c_attn has no LoRA input in the hot-swap graph");
    }

    @Test
    void wrongNamesAndTypesAreNamed() {
        List<Tensor> params = new ArrayList<>(HotSwapAdapters.of(withA, "default").parameters());
        Tensor first = params.get(0);
        params.set(0, Tensor.ofDoubles(first.name(), first.dims(), new double[(int) first.elementCount()]));
        params.add(Tensor.ofFloats("lm_head.lora_A.default.weight", new long[] {1}, 0f));
        OnnxAdapter bad = new OnnxAdapter(1, 0, params);
        assertThatThrownBy(() -> HotSwapChecks.check(bad, "bad.onnx_adapter", hot.model(), "hot.onnx"))
                .hasMessageContaining("parameter '" + first.name() + "' is double; the graph input is float")
                .hasMessageContaining("parameter 'lm_head.lora_A.default.weight' is not an overridable input of "
                        + "the graph");
        try (InferenceSession s = InferenceSession.fromBytes(TinyLora.bytes(hot.model()))) {
            assertThatThrownBy(() -> HotSwapChecks.check(bad, "bad.onnx_adapter", s.overridableInitializers(),
                    s.label())).hasMessageContaining("is double; the graph input is float");
        }
    }

    @Test
    void graphWithoutOverridableInputsIsNamed() {
        OnnxAdapter a = HotSwapAdapters.of(withA, "default");
        assertThatThrownBy(() -> HotSwapChecks.check(a, "a.onnx_adapter", withA, "static.onnx"))
                .hasMessageContaining("the graph has no inputs with initializer defaults")
                .hasMessageContaining("attach --hot-swap");
    }

    @Test
    void signatureOfAnotherGraphIsNamed() {
        OnnxAdapter a = HotSwapAdapters.of(withA, "default");
        OnnxAdapter moved = new OnnxAdapter(1, a.modelVersion() + 1, a.parameters());
        assertThatThrownBy(() -> HotSwapChecks.check(moved, "a.onnx_adapter", hot.model(), "hot.onnx"))
                .hasMessageContaining("is the signature of another hot-swap graph");
    }

    @Test
    void unfitGraphsAreRefused() {
        assertThatThrownBy(() -> HotSwapGraph.make(withA, "nope")).hasMessageContaining("no adapter 'nope'");
        assertThatThrownBy(() -> HotSwapGraph.make(hot.model(), "default"))
                .hasMessageContaining("already a hot-swap graph");
        assertThatThrownBy(() -> HotSwapGraph.make(AdapterSwitch.deactivateAll(withA), "default"))
                .hasMessageContaining("its gate is 0.0, not 1");
        LoraConfig dora = LoraConfig.of(TargetSpec.ALL_LINEAR).withR(2).withDora(true);
        Model withDora = new DoraPass(dora).inject(base).model();
        assertThatThrownBy(() -> HotSwapGraph.make(withDora, "default"))
                .hasMessageContaining("only plain LoRA adapters hot-swap");
        assertThatThrownBy(() -> HotSwapGraph.layout(withA)).hasMessageContaining("not a hot-swap graph");
    }

    @Test
    void badAdaptersAreNotWritten() {
        Path out = tmp.resolve("dup.onnx_adapter");
        Tensor t = Tensor.ofFloats("x", new long[] {1}, 1f);
        assertThatThrownBy(() -> OnnxAdapterFile.write(new OnnxAdapter(1, 0, List.of(t, t)), out))
                .hasMessageContaining("parameter 'x' appears twice");
        assertThat(out).doesNotExist();
        Tensor s = Tensor.ofBytes("s", io.ortune.graph.ir.DataType.UINT4, new long[] {2}, new byte[1]);
        assertThatThrownBy(() -> new OnnxAdapter(1, 0, List.of(s)))
                .hasMessageContaining("parameter 's' has element type uint4, which the .onnx_adapter format cannot "
                        + "hold");
        assertThat(tmp.toFile().list()).isEmpty();
    }

    @Test
    void corruptFilesAreNamed() throws Exception {
        byte[] good = OnnxAdapterFile.toBytes(HotSwapAdapters.of(withA, "default"));
        byte[] wrongId = good.clone();
        wrongId[4] = 'X';
        assertThatThrownBy(() -> OnnxAdapterFile.fromBytes(wrongId, "w.onnx_adapter"))
                .hasMessageContaining("w.onnx_adapter: file identifier is 'XORT', not 'TORT'");
        byte[] cut = java.util.Arrays.copyOf(good, good.length / 2);
        assertThatThrownBy(() -> OnnxAdapterFile.fromBytes(cut, "cut.onnx_adapter"))
                .isInstanceOf(AdapterException.class).hasMessageContaining("cut.onnx_adapter");
        assertThatThrownBy(() -> OnnxAdapterFile.fromBytes(new byte[3], "tiny"))
                .hasMessageContaining("too short for a flatbuffer");
        Path missing = tmp.resolve("missing.onnx_adapter");
        assertThatThrownBy(() -> OnnxAdapterFile.read(missing)).hasMessageContaining("missing.onnx_adapter");
        assertThatThrownBy(() -> LoraAdapter.open(missing)).hasMessageContaining("missing.onnx_adapter");
        assertThatThrownBy(() -> LoraAdapter.fromBytes(wrongId, "w.onnx_adapter"))
                .isInstanceOf(OrtException.class).hasMessageContaining("loading LoRA adapter w.onnx_adapter");
    }

    @Test
    void closedAdapterCannotBeUsed() throws Exception {
        Path f = tmp.resolve("a.onnx_adapter");
        OnnxAdapterFile.write(HotSwapAdapters.of(withA, "default"), f);
        try (InferenceSession s = InferenceSession.fromBytes(TinyLora.bytes(hot.model()));
             RunOptions o = RunOptions.create()) {
            LoraAdapter a = LoraAdapter.open(f);
            o.activate(a);
            a.close();
            a.close();
            assertThatThrownBy(() -> s.run(TinyLora.feeds(), o)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("LoRA adapter " + f + " is closed");
        }
        assertThat(Files.size(f)).isPositive();
    }
}
