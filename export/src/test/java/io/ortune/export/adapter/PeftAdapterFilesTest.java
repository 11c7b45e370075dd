package io.ortune.export.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.models.weights.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and writing adapter folders: exact round trips, and every kind of bad folder failing clearly. */
class PeftAdapterFilesTest {

    @TempDir
    Path tmp;

    private static final String A0 = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight";
    private static final String B0 = "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight";

    private static PeftGolden llama() throws IOException {
        return PeftGolden.load("llama-lora");
    }

    @Test
    void readsPeftsFolderAndWritesItBackBitForBit() throws IOException {
        PeftGolden g = llama();
        PeftAdapter a = PeftAdapterFiles.read(g.dir(), g.base());
        assertThat(a.tensors()).hasSize(8);
        assertThat(a.modules()).contains("model.layers.1.self_attn.q_proj");
        assertThat(a.tensor("base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight").dims())
                .containsExactly(2, 32);
        PeftAdapterFiles.write(a, tmp.resolve("out"));
        assertThat(Files.readAllBytes(tmp.resolve("out").resolve(PeftAdapterFiles.WEIGHTS)))
                .as("same tensors, same layout, same metadata: the safetensors file is byte-identical")
                .isEqualTo(Files.readAllBytes(g.dir().resolve(PeftAdapterFiles.WEIGHTS)));
        PeftAdapter back = PeftAdapterFiles.read(tmp.resolve("out"), g.base());
        assertThat(back.config()).isEqualTo(a.config());
        for (String k : a.tensors().keySet()) {
            assertThat(back.tensor(k).contentEquals(a.tensor(k))).as(k).isTrue();
        }
        try (Stream<Path> files = Files.list(tmp.resolve("out"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(PeftConfigJson.FILE, PeftAdapterFiles.WEIGHTS);
        }
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        assertThatThrownBy(() -> PeftAdapterFiles.read(tmp.resolve("nope"))).isInstanceOf(AdapterException.class)
                .hasMessageContaining("no such folder");
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> PeftAdapterFiles.read(dir)).hasMessageContaining("missing adapter_config.json");
        Files.copy(llama().dir().resolve(PeftConfigJson.FILE), dir.resolve(PeftConfigJson.FILE));
        assertThatThrownBy(() -> PeftAdapterFiles.read(dir)).hasMessageContaining("missing adapter_model.safetensors");
        Files.write(dir.resolve(PeftAdapterFiles.PICKLED_WEIGHTS), new byte[] {1});
        assertThatThrownBy(() -> PeftAdapterFiles.read(dir)).hasMessageContaining("adapter_model.bin, a pickle");
    }

    @Test
    void missingKeyIsNamedWithTheExpectedShape() throws IOException {
        Path dir = copyWith(tensors -> tensors.remove(B0));
        assertThatThrownBy(() -> PeftAdapterFiles.read(dir)).isInstanceOf(AdapterException.class)
                .hasMessageContaining("missing key '" + B0 + "'");
    }

    @Test
    void wrongShapeAgainstTheBaseNamesKeyExpectedAndFound() throws IOException {
        Path dir = copyWith(tensors -> tensors.put(A0, Tensor.ofFloats(A0, new long[] {4, 16}, new float[64])));
        Model base = llama().base();
        assertThatThrownBy(() -> PeftAdapterFiles.read(dir, base)).isInstanceOf(AdapterException.class)
                .hasMessageContaining("key '" + A0 + "': expected shape [4, 32] (r=4, in_features=32), found [4, 16]");
    }

    @Test
    void wrongRankIsCaughtWithoutABase() throws IOException {
        Path dir = copyWith(tensors -> tensors.put(A0, Tensor.ofFloats(A0, new long[] {3, 32}, new float[96])));
        assertThatThrownBy(() -> PeftAdapterFiles.read(dir)).hasMessageContaining("key '" + A0
                + "': expected shape [4, in_features] (r of 'model.layers.0.self_attn.q_proj' is 4), found [3, 32]");
    }

    @Test
    void anAdapterForAnotherBaseIsRefused() throws IOException {
        PeftGolden gpt2 = PeftGolden.load("gpt2-lora");
        Model llamaBase = llama().base();
        assertThatThrownBy(() -> PeftAdapterFiles.read(gpt2.dir(), llamaBase)).isInstanceOf(AdapterException.class)
                .hasMessageContaining("key 'base_model.model.transformer.h.0.attn.c_attn.lora_A.weight': the base "
                        + "model has no linear module 'transformer.h.0.attn.c_attn' (an adapter for another base");
    }

    @Test
    void aKeyForAModuleTheConfigDoesNotTargetIsRefused() throws IOException {
        String k = "base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight";
        String kb = "base_model.model.model.layers.0.self_attn.k_proj.lora_B.weight";
        Path dir = copyWith(tensors -> {
            tensors.put(k, Tensor.ofFloats(k, new long[] {4, 32}, new float[128]));
            tensors.put(kb, Tensor.ofFloats(kb, new long[] {16, 4}, new float[64]));
        });
        Model base = llama().base();
        assertThatThrownBy(() -> PeftAdapterFiles.read(dir, base)).hasMessageContaining("module "
                + "'model.layers.0.self_attn.k_proj' is in the base but not selected by target_modules q_proj,v_proj");
    }

    @Test
    void unknownPeftTypeIsRefused() throws IOException {
        Path dir = copyWith(t -> { });
        Path cfg = dir.resolve(PeftConfigJson.FILE);
        Files.writeString(cfg, Files.readString(cfg).replace("\"LORA\"", "\"VERA\""));
        assertThatThrownBy(() -> PeftAdapterFiles.read(dir)).hasMessageContaining(cfg.toString())
                .hasMessageContaining("peft_type: unknown value 'VERA'");
    }

    @Test
    void nothingIsWrittenWhenACheckFails() throws IOException {
        PeftGolden g = llama();
        PeftAdapter a = PeftAdapterFiles.read(g.dir());
        Path out = tmp.resolve("out");
        PeftAdapterFiles.write(a, out);
        byte[] weights = Files.readAllBytes(out.resolve(PeftAdapterFiles.WEIGHTS));
        byte[] config = Files.readAllBytes(out.resolve(PeftConfigJson.FILE));
        Map<String, Tensor> broken = new LinkedHashMap<>(a.tensors());
        broken.remove(B0);
        assertThatThrownBy(() -> PeftAdapterFiles.write(new PeftAdapter(a.config(), broken), out))
                .hasMessageContaining("missing key '" + B0 + "'");
        PeftAdapter unsupported = new PeftAdapter(new PeftAdapterConfig("LORA", null, null, 4, 16, 0,
                a.config().targets(), false, false, false, a.config().rankPattern(), Map.of(), List.of(), "true",
                "all", List.of(), List.of(), 0, Map.of()), a.tensors());
        assertThatThrownBy(() -> PeftAdapterFiles.write(unsupported, out)).hasMessageContaining("bias: 'all'");
        Map<String, Tensor> bigger = new LinkedHashMap<>(a.tensors());
        bigger.put(A0, Tensor.ofFloats(A0, new long[] {4, 16}, new float[64]));
        Model base = g.base();
        assertThatThrownBy(() -> PeftAdapterFiles.write(new PeftAdapter(a.config(), bigger), out, base))
                .hasMessageContaining("expected shape [4, 32]");
        assertThat(Files.readAllBytes(out.resolve(PeftAdapterFiles.WEIGHTS))).isEqualTo(weights);
        assertThat(Files.readAllBytes(out.resolve(PeftConfigJson.FILE))).isEqualTo(config);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.count()).as("no temporary files left").isEqualTo(2);
        }
    }

    @Test
    void bfloat16AdapterAttachesToAFloat32BaseExactly() throws IOException {
        Path dir = copyWith(tensors -> tensors.replaceAll((k, t) -> bf16(t)));
        PeftGolden g = llama();
        Model base = g.base();
        PeftAdapter a = PeftAdapterFiles.read(dir, base);
        assertThat(a.tensor(A0).dtype()).isEqualTo(io.ortune.graph.ir.DataType.BFLOAT16);
        var inj = PeftAdapters.attach(base, a, "default");
        var info = io.ortune.graph.peft.PeftMetadata.adapter(inj.model(), "default").orElseThrow();
        float[] attached = inj.model().graph().initializer(info.tensors().get(A0)).constant().toFloats();
        short[] bits = new short[attached.length];
        a.tensor(A0).bytes().order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(bits);
        for (int i = 0; i < bits.length; i++) {
            assertThat(Float.floatToRawIntBits(attached[i])).as("element " + i + " widened exactly")
                    .isEqualTo((bits[i] & 0xffff) << 16);
        }
    }

    /** bfloat16 by truncation: the upper 16 bits of each float32. */
    private static Tensor bf16(Tensor t) {
        float[] f = t.toFloats();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(f.length * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : f) {
            b.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
        }
        return Tensor.ofBytes(t.name(), io.ortune.graph.ir.DataType.BFLOAT16, t.dims(), b.array());
    }

    /** A copy of the Llama golden adapter with its tensors edited. */
    private Path copyWith(java.util.function.Consumer<Map<String, Tensor>> edit) throws IOException {
        PeftGolden g = llama();
        Path dir = Files.createDirectories(tmp.resolve("edited"));
        Files.copy(g.dir().resolve(PeftConfigJson.FILE), dir.resolve(PeftConfigJson.FILE));
        Map<String, Tensor> tensors = new LinkedHashMap<>(PeftAdapterFiles.read(g.dir()).tensors());
        edit.accept(tensors);
        SafetensorsWriter.write(dir.resolve(PeftAdapterFiles.WEIGHTS), tensors, Map.of("format", "pt"));
        return dir;
    }
}
