package io.ortune.models.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.BufferData;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.FileRegionData;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.config.Gpt2Config;
import io.ortune.models.config.LlamaConfig;
import io.ortune.models.config.ModelConfig;
import io.ortune.models.weights.SafetensorsWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints that do not fit, options that are not supported, and checkpoints that fit after renaming or upcasting. */
class WeightValidationTest {

    private static final long[][] IDS = {{5, 17, 3, 22}, {0, 12, 7, 25}};
    private static final long[][] MASK = {{1, 1, 1, 1}, {0, 1, 1, 1}};

    @TempDir
    Path dir;

    private Path checkpoint(ModelConfig c, Map<String, Tensor> tensors) throws IOException {
        Files.writeString(dir.resolve("config.json"), c.toJson());
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors);
        return dir;
    }

    private static float[] logits(Model m) {
        return Sessions.run(m, Sessions.idsAndMask(IDS, MASK)).get(ModelIo.LOGITS).toFloats();
    }

    @Test
    void everyMissingUnexpectedAndMisshapedTensorIsNamed() throws IOException {
        LlamaConfig c = TinyConfigs.llamaGqa();
        Map<String, Tensor> w = TestWeights.of(c, 1);
        w.remove("model.layers.1.self_attn.q_proj.weight");
        w.put("model.layers.0.mlp.up_proj.weight", Tensor.ofFloats("x", new long[] {32, 48}, new float[32 * 48]));
        w.put("model.layers.0.self_attn.q_proj.lora_A.weight", Tensor.ofFloats("x", new long[] {2, 32},
                new float[64]));
        w.put("model.norm.weight", Tensor.ofInts("x", new long[] {32}, new int[32]));
        Path ck = checkpoint(c, w);
        assertThatThrownBy(() -> ModelFactory.fromHuggingFace(ck, ck, Form.TRAINING))
                .isInstanceOfSatisfying(WeightMismatchException.class, e -> {
                    assertThat(e.missing()).containsExactly("model.layers.1.self_attn.q_proj.weight");
                    assertThat(e.unexpected()).containsExactly("model.layers.0.self_attn.q_proj.lora_A.weight");
                    assertThat(e.mismatched()).extracting(WeightMismatchException.Mismatch::name)
                            .containsExactly("model.layers.0.mlp.up_proj.weight", "model.norm.weight");
                    assertThat(e.getMessage()).contains("model.layers.1.self_attn.q_proj.weight")
                            .contains("shape [32, 48], expected [48, 32]").contains("dtype int32")
                            .contains(ck.toString());
                });
    }

    @Test
    void buffersAndTiedCopiesAreIgnored() throws IOException {
        LlamaConfig c = TinyConfigs.llamaBiasedTied();
        Map<String, Tensor> w = TestWeights.of(c, 2);
        w.put("model.layers.0.self_attn.rotary_emb.inv_freq", Tensor.ofFloats("x", new long[] {6}, new float[6]));
        w.put("lm_head.weight", w.get("model.embed_tokens.weight"));
        Path ck = checkpoint(c, w);
        Model m = ModelFactory.fromHuggingFace(ck.resolve("config.json"), ck.resolve("model.safetensors"),
                Form.TRAINING);
        assertThat(m.graph().initializers()).doesNotContainKeys("lm_head.weight",
                "model.layers.0.self_attn.rotary_emb.inv_freq");
    }

    @Test
    void float16AndBfloat16CheckpointsAreUpcastAndSaySo() throws IOException {
        LlamaConfig c = TinyConfigs.llamaGqa();
        Map<String, Tensor> w = TestWeights.of(c, 3);
        for (DataType half : new DataType[] {DataType.BFLOAT16, DataType.FLOAT16}) {
            Map<String, Tensor> stored = new LinkedHashMap<>();
            Map<String, Tensor> upcast = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : w.entrySet()) {
                Tensor h = toHalf(e.getValue(), half);
                stored.put(e.getKey(), h);
                upcast.put(e.getKey(), Upcast.toFloat32(h));
            }
            Path ck = checkpoint(c, stored);
            Model m = ModelFactory.fromHuggingFace(ck, ck, Form.TRAINING);
            assertThat(m.metadataProps().get(ModelMetadata.UPCAST)).as(half.onnxName())
                    .contains(w.size() + " weights").contains("upcast to float32");
            assertThat(m.graph().initializer("model.norm.weight").dtype()).isEqualTo(DataType.FLOAT);
            Model reference = ModelFactory.build(c, new TestWeights.MapSource(upcast), Form.TRAINING);
            Logits.assertClose(half.onnxName() + " checkpoint vs its float32 values", logits(m), logits(reference),
                    c.vocabSize(), null, new Logits.Tolerance(0, 0, "same graph, same weight values"));
        }
    }

    @Test
    void halfPrecisionConversionIsExact() {
        assertThat(Upcast.halfToFloat((short) 0x3C00)).isEqualTo(1f);
        assertThat(Upcast.halfToFloat((short) 0xC000)).isEqualTo(-2f);
        assertThat(Upcast.halfToFloat((short) 0x7BFF)).isEqualTo(65504f);
        assertThat(Upcast.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Upcast.halfToFloat((short) 0x83FF)).isEqualTo(-0x3FFp-24f);
        assertThat(Upcast.halfToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Upcast.halfToFloat((short) 0x7E00)).isNaN();
        Tensor bf = Tensor.ofBytes("b", DataType.BFLOAT16, new long[] {2}, new byte[] {(byte) 0x80, 0x3F, 0x49,
                (byte) 0xC0});
        assertThat(Upcast.toFloat32(bf).toFloats()).containsExactly(1f, -3.140625f);
    }

    @Test
    void gpt2CheckpointWithoutTransformerPrefixLoadsUnderCanonicalNames() throws IOException {
        Gpt2Config c = TinyConfigs.gpt2();
        Map<String, Tensor> w = TestWeights.of(c, 4);
        Map<String, Tensor> bare = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : w.entrySet()) {
            String n = e.getKey().substring("transformer.".length());
            bare.put(n, e.getValue().withName(n));
        }
        bare.put("h.0.attn.bias", Tensor.ofFloats("x", new long[] {1, 1, 2, 2}, new float[4]));
        Path ck = checkpoint(c, bare);
        Model m = ModelFactory.fromHuggingFace(ck, ck, Form.TRAINING);
        assertThat(m.graph().initializers().keySet()).containsExactlyInAnyOrderElementsOf(w.keySet());
        assertThat(m.graph().initializer("transformer.h.1.mlp.c_fc.weight").constant().data())
                .as("float32 checkpoint data stays a lazily mapped file region").isInstanceOf(FileRegionData.class);
        Model reference = ModelFactory.build(c, new TestWeights.MapSource(w), Form.TRAINING);
        Logits.assertClose("prefix-less checkpoint", logits(m), logits(reference), c.vocabSize(), null,
                new Logits.Tolerance(0, 0, "same graph, same weights"));
    }

    @Test
    void gpt2SplitQkvEqualsFusedCAttn() {
        Gpt2Config c = TinyConfigs.gpt2();
        Map<String, Tensor> fused = TestWeights.of(c, 5);
        Map<String, Tensor> split = new LinkedHashMap<>(fused);
        int e = c.nEmbd();
        for (int i = 0; i < c.nLayer(); i++) {
            String p = "transformer.h." + i + ".attn.";
            float[] wf = split.remove(p + "c_attn.weight").toFloats();
            float[] bf = split.remove(p + "c_attn.bias").toFloats();
            String[] parts = {"q_proj", "k_proj", "v_proj"};
            for (int k = 0; k < 3; k++) {
                float[] wk = new float[e * e];
                for (int r = 0; r < e; r++) {
                    System.arraycopy(wf, r * 3 * e + k * e, wk, r * e, e);
                }
                split.put(p + parts[k] + ".weight", Tensor.ofFloats(p + parts[k] + ".weight", new long[] {e, e}, wk));
                split.put(p + parts[k] + ".bias", Tensor.ofFloats(p + parts[k] + ".bias", new long[] {e},
                        java.util.Arrays.copyOfRange(bf, k * e, (k + 1) * e)));
            }
        }
        Model a = ModelFactory.build(c, new TestWeights.MapSource(fused), Form.TRAINING);
        Model b = ModelFactory.build(c, new TestWeights.MapSource(split), Form.TRAINING);
        assertThat(b.graph().initializers()).containsKey("transformer.h.1.attn.k_proj.weight")
                .doesNotContainKey("transformer.h.1.attn.c_attn.weight");
        Logits.assertClose("split q/k/v vs fused c_attn", logits(b), logits(a), c.vocabSize(), null,
                new Logits.Tolerance(1e-5, 0, "same math, different matmul blocking"));
        Model kv = ModelForms.toKvCache(b);
        assertThat(kv.graph().initializers()).containsKey("transformer.h.0.attn.q_proj.weight");
    }

    @Test
    void unsupportedOptionsFailByName() {
        LlamaConfig qwen = TinyConfigs.qwen2("\"use_sliding_window\":true,\"sliding_window\":8,");
        assertThat(qwen.slidingWindow()).hasValue(8);
        assertThatThrownBy(() -> ModelFactory.randomInit(qwen, 1, Form.TRAINING))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("use_sliding_window")
                .hasMessageContaining("max_window_layers");
        LlamaConfig act = TinyConfigs.llama("\"num_attention_heads\":4,\"hidden_act\":\"quick_gelu\"");
        assertThat(ModelFactory.randomInit(act, 1, Form.TRAINING).graph().nodes()).isNotEmpty();
    }

    @Test
    void fromOnnxRefusesModelsOrtuneDidNotBuild() throws IOException {
        GraphBuilder b = GraphBuilder.create("plain");
        b.output(b.relu(b.input("x", DataType.FLOAT, 2)), "y");
        Path file = dir.resolve("plain.onnx");
        OnnxWriter.write(b.model(), file);
        assertThatThrownBy(() -> ModelFactory.fromOnnx(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ortune.architecture").hasMessageContaining(file.toString());
    }

    @Test
    void fromOnnxNamesMissingAndMisshapedWeights() throws IOException {
        Model m = ModelFactory.randomInit(TinyConfigs.llamaGqa(), 1, Form.TRAINING);
        Value down = m.graph().initializer("model.layers.0.mlp.down_proj.weight");
        m.graph().removeInitializer(down);
        m.graph().addInput(down);
        m.graph().setInitializerTensor(m.graph().initializer("model.norm.weight"),
                Tensor.ofFloats("x", new long[] {16}, new float[16]));
        Path file = dir.resolve("broken.onnx");
        OnnxWriter.write(m, file);
        assertThatThrownBy(() -> ModelFactory.fromOnnx(file)).isInstanceOfSatisfying(WeightMismatchException.class,
                e -> {
                    assertThat(e.missing()).containsExactly("model.layers.0.mlp.down_proj.weight");
                    assertThat(e.mismatched()).extracting(WeightMismatchException.Mismatch::name)
                            .containsExactly("model.norm.weight");
                });
    }

    private static Tensor toHalf(Tensor t, DataType half) {
        float[] f = t.toFloats();
        ByteBuffer b = ByteBuffer.allocate(2 * f.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < f.length; i++) {
            int x = Float.floatToRawIntBits(f[i]);
            short bits = half == DataType.BFLOAT16 ? (short) ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16)
                    : floatToHalf(f[i]);
            b.putShort(2 * i, bits);
        }
        return new Tensor(t.name(), half, t.dims(), new BufferData(b));
    }

    /** float32 → binary16 for the normal range the test weights use (|x| in [2^-14, 65504]) and zero. */
    private static short floatToHalf(float v) {
        int x = Float.floatToRawIntBits(v);
        int sign = (x >>> 16) & 0x8000;
        int abs = x & 0x7fffffff;
        if (abs < 0x38800000) {
            return (short) sign;
        }
        int h = (((abs >>> 23) - 112) << 10) | ((abs & 0x7fffff) >>> 13);
        int rem = abs & 0x1fff;
        if (rem > 0x1000 || rem == 0x1000 && (h & 1) == 1) {
            h++;
        }
        return (short) (sign | h);
    }
}
