package io.ortune.models.weights;

import io.ortune.graph.ir.BufferData;
import io.ortune.graph.ir.FileRegionData;
import io.ortune.graph.ir.Tensor;
import io.ortune.models.TestData;
import io.ortune.models.config.LlamaConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Llama2cCheckpointTest {

    @TempDir
    Path dir;

    // ---- the real stories260K checkpoint -------------------------------------------------------------------------

    @Test
    void stories260kLoadsWithItsConfigAndParameterCount() throws IOException {
        Llama2cCheckpoint c = Llama2cCheckpoint.open(TestData.file("models/stories260K.bin"));
        assertThat(c.header()).isEqualTo(new Llama2cCheckpoint.Header(64, 172, 5, 8, 4, 512, true, 512));
        LlamaConfig cfg = c.config();
        assertThat(cfg.variant()).isEqualTo(LlamaConfig.Variant.LLAMA);
        assertThat(cfg.hiddenSize()).isEqualTo(64);
        assertThat(cfg.intermediateSize()).isEqualTo(172);
        assertThat(cfg.numHiddenLayers()).isEqualTo(5);
        assertThat(cfg.numAttentionHeads()).isEqualTo(8);
        assertThat(cfg.numKeyValueHeads()).isEqualTo(4);
        assertThat(cfg.headDim()).isEqualTo(8);
        assertThat(cfg.kvDim()).isEqualTo(32);
        assertThat(cfg.vocabSize()).isEqualTo(512);
        assertThat(cfg.maxPositionEmbeddings()).isEqualTo(512);
        assertThat(cfg.ropeTheta()).isEqualTo(10000.0);
        assertThat(cfg.rmsNormEps()).isEqualTo(1e-5);
        assertThat(cfg.tieWordEmbeddings()).isTrue();
        assertThat(cfg.hiddenAct()).isEqualTo("silu");
        assertThat(cfg.ropeScaling()).isEmpty();

        // embedding 512x64 + 5 layers x (2x64 norms + 64x64 q + 32x64 k + 32x64 v + 64x64 o + 3x172x64 mlp) + 64
        long expected = 512 * 64 + 5L * (2 * 64 + 64 * 64 + 2 * 32 * 64 + 64 * 64 + 3 * 172 * 64) + 64;
        assertThat(expected).isEqualTo(260_032);
        assertThat(c.parameterCount()).isEqualTo(260_032);
        assertThat(c.names()).hasSize(1 + 5 * 9 + 1).doesNotContain("lm_head.weight")
                .contains("model.embed_tokens.weight", "model.norm.weight", "model.layers.4.mlp.up_proj.weight");
        assertThat(c.shape("model.layers.0.self_attn.k_proj.weight")).containsExactly(32, 64);
        assertThat(c.shape("model.layers.0.mlp.down_proj.weight")).containsExactly(64, 172);
    }

    @Test
    void stories260kTensorsAreFileRegionsExceptThePermutedProjections() throws IOException {
        Path file = TestData.file("models/stories260K.bin");
        Llama2cCheckpoint c = Llama2cCheckpoint.open(file);
        Tensor emb = c.tensor("model.embed_tokens.weight");
        assertThat(emb.data()).isInstanceOf(FileRegionData.class);
        assertThat(((FileRegionData) emb.data()).offset()).isEqualTo(28);
        float[] e = emb.toFloats();
        assertThat(e).hasSize(512 * 64);
        for (float v : e) {
            assertThat(Float.isFinite(v)).isTrue();
        }
        assertThat(rms(e)).isBetween(0.01, 10.0);
        assertThat(rms(c.tensor("model.norm.weight").toFloats())).isBetween(0.1, 10.0);

        Tensor q = c.tensor("model.layers.0.self_attn.q_proj.weight");
        assertThat(q.data()).isInstanceOf(BufferData.class);
        float[] rawQ = readFloats(file, 28 + 4L * (512 * 64 + 5 * 64), 64 * 64);
        assertThat(q.toFloats()).isEqualTo(Llama2cCheckpoint.permuteForRotateHalf(rawQ, 8, 8, 64));
        assertThat(q.toFloats()).isNotEqualTo(rawQ);
        float[] rawV = readFloats(file, 28 + 4L * (512 * 64 + 5 * 64 + 5 * 64 * 64 + 5 * 32 * 64), 32 * 64);
        assertThat(c.tensor("model.layers.0.self_attn.v_proj.weight").toFloats()).isEqualTo(rawV);
    }

    private static double rms(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s / v.length);
    }

    private static float[] readFloats(Path file, long offset, int n) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file), (int) offset, n * 4).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[n];
        b.asFloatBuffer().get(out);
        return out;
    }

    // ---- synthetic checkpoints -----------------------------------------------------------------------------------

    /** Writes a llama2.c file whose weights are random; returns all floats after the header, in file order. */
    private static float[] writeCheckpoint(Path file, int dim, int hidden, int layers, int heads, int kvHeads,
                                           int vocab, int seqLen, long seed) throws IOException {
        int headSize = dim / heads;
        int kvDim = kvHeads * headSize;
        int v = Math.abs(vocab);
        long n = (long) v * dim + layers * (2L * dim + 2L * dim * dim + 2L * kvDim * dim + 3L * hidden * dim) + dim
                + 2L * seqLen * (headSize / 2) + (vocab < 0 ? (long) v * dim : 0);
        float[] w = new float[(int) n];
        Random r = new Random(seed);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        ByteBuffer b = ByteBuffer.allocate(28 + 4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(dim).putInt(hidden).putInt(layers).putInt(heads).putInt(kvHeads).putInt(vocab).putInt(seqLen);
        b.asFloatBuffer().put(w);
        Files.write(file, b.array());
        return w;
    }

    @Test
    void unsharedClassifierAndWeightOrderMapToHuggingFaceNames() throws IOException {
        int dim = 24, hidden = 10, layers = 2, heads = 4, kv = 2, vocab = 11, seq = 6;
        Path file = dir.resolve("m.bin");
        float[] w = writeCheckpoint(file, dim, hidden, layers, heads, kv, -vocab, seq, 7);
        Llama2cCheckpoint c = Llama2cCheckpoint.open(file);
        assertThat(c.config().tieWordEmbeddings()).isFalse();
        assertThat(c.names()).contains("lm_head.weight").hasSize(1 + layers * 9 + 1 + 1);

        int kvDim = kv * dim / heads;
        int at = vocab * dim;
        assertThat(c.tensor("model.embed_tokens.weight").toFloats()).isEqualTo(Arrays.copyOfRange(w, 0, at));
        at += dim; // layer 0 rms_att
        assertThat(c.tensor("model.layers.1.input_layernorm.weight").toFloats())
                .isEqualTo(Arrays.copyOfRange(w, at, at + dim));
        at += dim + layers * dim * dim + layers * kvDim * dim; // rest of rms_att, wq, wk
        assertThat(c.tensor("model.layers.0.self_attn.v_proj.weight").toFloats())
                .isEqualTo(Arrays.copyOfRange(w, at, at + kvDim * dim));
        at += layers * kvDim * dim; // wv
        assertThat(c.tensor("model.layers.1.self_attn.o_proj.weight").toFloats())
                .isEqualTo(Arrays.copyOfRange(w, at + dim * dim, at + 2 * dim * dim));
        at += layers * dim * dim; // wo
        assertThat(c.tensor("model.layers.1.post_attention_layernorm.weight").toFloats())
                .isEqualTo(Arrays.copyOfRange(w, at + dim, at + 2 * dim));
        at += layers * dim; // rms_ffn
        assertThat(c.tensor("model.layers.0.mlp.gate_proj.weight").toFloats())
                .as("w1").isEqualTo(Arrays.copyOfRange(w, at, at + hidden * dim));
        at += layers * hidden * dim;
        assertThat(c.tensor("model.layers.0.mlp.down_proj.weight").toFloats())
                .as("w2").isEqualTo(Arrays.copyOfRange(w, at, at + dim * hidden));
        at += layers * dim * hidden;
        assertThat(c.tensor("model.layers.1.mlp.up_proj.weight").toFloats())
                .as("w3").isEqualTo(Arrays.copyOfRange(w, at + hidden * dim, at + 2 * hidden * dim));
        at += layers * hidden * dim;
        assertThat(c.tensor("model.norm.weight").toFloats()).isEqualTo(Arrays.copyOfRange(w, at, at + dim));
        assertThat(c.tensor("lm_head.weight").toFloats())
                .isEqualTo(Arrays.copyOfRange(w, w.length - vocab * dim, w.length));
    }

    /**
     * The point of the permutation: llama2.c's RoPE (rotating adjacent pairs) on the original weights and Hugging
     * Face's rotate_half RoPE on the permuted weights give the same attention scores, and the rotated queries are the
     * same numbers in the permuted order.
     */
    @Test
    void permutedProjectionsWithRotateHalfRopeMatchInterleavedRopeOnTheOriginals() throws IOException {
        int dim = 48, heads = 4, kv = 2, layers = 2, headSize = dim / heads, kvDim = kv * headSize;
        Path file = dir.resolve("rope.bin");
        float[] w = writeCheckpoint(file, dim, 20, layers, heads, kv, 9, 16, 11);
        Llama2cCheckpoint c = Llama2cCheckpoint.open(file);
        int wqStart = 9 * dim + layers * dim;
        float[] wqOrig = Arrays.copyOfRange(w, wqStart + dim * dim, wqStart + 2 * dim * dim); // layer 1
        int wkStart = wqStart + layers * dim * dim;
        float[] wkOrig = Arrays.copyOfRange(w, wkStart + kvDim * dim, wkStart + 2 * kvDim * dim);
        float[] wqHf = c.tensor("model.layers.1.self_attn.q_proj.weight").toFloats();
        float[] wkHf = c.tensor("model.layers.1.self_attn.k_proj.weight").toFloats();

        Random r = new Random(3);
        for (int trial = 0; trial < 5; trial++) {
            double[] x = gaussian(r, dim);
            double[] y = gaussian(r, dim);
            int qPos = r.nextInt(16);
            int kPos = r.nextInt(16);
            double[] qL2c = ropeInterleaved(matVec(wqOrig, x, dim), headSize, qPos);
            double[] kL2c = ropeInterleaved(matVec(wkOrig, y, dim), headSize, kPos);
            double[] qHf = ropeRotateHalf(matVec(wqHf, x, dim), headSize, qPos);
            double[] kHf = ropeRotateHalf(matVec(wkHf, y, dim), headSize, kPos);

            assertClose(qHf, toHalves(qL2c, headSize), "rotated query, permuted");
            assertClose(kHf, toHalves(kL2c, headSize), "rotated key, permuted");
            for (int h = 0; h < heads; h++) {
                int kvh = h / (heads / kv);
                double sL2c = dot(qL2c, h * headSize, kL2c, kvh * headSize, headSize);
                double sHf = dot(qHf, h * headSize, kHf, kvh * headSize, headSize);
                // float64 sums of the same products in another order: 1e-12 relative is ample
                assertThat(Math.abs(sL2c - sHf)).as("score head " + h).isLessThanOrEqualTo(1e-12 + 1e-12 * Math.abs(sL2c));
            }
        }
    }

    private static double[] gaussian(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    private static double[] matVec(float[] w, double[] x, int cols) {
        double[] out = new double[w.length / cols];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += w[i * cols + j] * x[j];
            }
            out[i] = s;
        }
        return out;
    }

    /** llama2.c run.c: rotate (v[i], v[i+1]) by pos * 10000^(-(i % headSize) / headSize). */
    private static double[] ropeInterleaved(double[] v, int headSize, int pos) {
        double[] out = v.clone();
        for (int i = 0; i < v.length; i += 2) {
            double freq = 1.0 / Math.pow(10000.0, (double) (i % headSize) / headSize);
            double c = Math.cos(pos * freq);
            double s = Math.sin(pos * freq);
            out[i] = v[i] * c - v[i + 1] * s;
            out[i + 1] = v[i] * s + v[i + 1] * c;
        }
        return out;
    }

    /** Hugging Face: x * cos + rotate_half(x) * sin, with frequency j paired across the two halves of a head. */
    private static double[] ropeRotateHalf(double[] v, int headSize, int pos) {
        double[] out = new double[v.length];
        int half = headSize / 2;
        for (int base = 0; base < v.length; base += headSize) {
            for (int j = 0; j < half; j++) {
                double freq = 1.0 / Math.pow(10000.0, 2.0 * j / headSize);
                double c = Math.cos(pos * freq);
                double s = Math.sin(pos * freq);
                out[base + j] = v[base + j] * c - v[base + j + half] * s;
                out[base + j + half] = v[base + j + half] * c + v[base + j] * s;
            }
        }
        return out;
    }

    /** Per head, element 2i goes to i and 2i+1 to i + headSize/2. */
    private static double[] toHalves(double[] v, int headSize) {
        double[] out = new double[v.length];
        for (int base = 0; base < v.length; base += headSize) {
            for (int i = 0; i < headSize / 2; i++) {
                out[base + i] = v[base + 2 * i];
                out[base + i + headSize / 2] = v[base + 2 * i + 1];
            }
        }
        return out;
    }

    private static double dot(double[] a, int ao, double[] b, int bo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    private static void assertClose(double[] actual, double[] expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        int worst = 0;
        double worstErr = 0;
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (err > worstErr) {
                worstErr = err;
                worst = i;
            }
        }
        // float64 dot products of identical float32 weight rows: only summation order differs
        assertThat(worstErr).as(what + ": worst index " + worst + " actual " + actual[worst] + " expected "
                + expected[worst]).isLessThanOrEqualTo(1e-12 + 1e-12 * Math.abs(expected[worst]));
    }

    @Test
    void permutationMatchesTheHuggingFaceViewTransposeReshape() {
        // w.view(heads, headDim/2, 2, cols).transpose(1, 2).reshape(heads*headDim, cols) with heads=1, headDim=4, cols=1
        float[] w = {0, 1, 2, 3};
        assertThat(Llama2cCheckpoint.permuteForRotateHalf(w, 1, 4, 1)).containsExactly(0, 2, 1, 3);
        float[] two = {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15};
        assertThat(Llama2cCheckpoint.permuteForRotateHalf(two, 2, 6, 1)).containsExactly(0, 2, 4, 1, 3, 5, 10, 12,
                14, 11, 13, 15);
        assertThatThrownBy(() -> Llama2cCheckpoint.permuteForRotateHalf(new float[6], 1, 3, 2))
                .hasMessageContaining("head size must be even");
    }

    // ---- validation ----------------------------------------------------------------------------------------------

    @Test
    void truncatedFileReportsExpectedAndActualBytes() throws IOException {
        byte[] all = Files.readAllBytes(TestData.file("models/stories260K.bin"));
        Path cut = Files.write(dir.resolve("cut.bin"), Arrays.copyOf(all, all.length - 4));
        assertThatThrownBy(() -> Llama2cCheckpoint.open(cut)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("cut.bin").hasMessageContaining("expected 1056540 bytes")
                .hasMessageContaining("the file has 1056536 bytes (4 missing)");
        Path longer = Files.write(dir.resolve("long.bin"), Arrays.copyOf(all, all.length + 8));
        assertThatThrownBy(() -> Llama2cCheckpoint.open(longer)).hasMessageContaining("8 too many");
    }

    private Path header(int... h) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(28 + 64).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : h) {
            b.putInt(v);
        }
        return Files.write(dir.resolve("h.bin"), b.array());
    }

    @Test
    void headerValuesMustBePositiveAndDivisible() throws IOException {
        List<Object[]> cases = List.of(
                new Object[] {new int[] {0, 8, 1, 2, 2, 4, 4}, "dim is 0; it must be positive"},
                new Object[] {new int[] {8, -8, 1, 2, 2, 4, 4}, "hidden_dim is -8; it must be positive"},
                new Object[] {new int[] {8, 8, 1, 2, 2, 0, 4}, "vocab_size is 0"},
                new Object[] {new int[] {10, 8, 1, 4, 4, 4, 4}, "dim 10 is not divisible by n_heads 4"},
                new Object[] {new int[] {16, 8, 1, 4, 3, 4, 4}, "n_heads 4 is not divisible by n_kv_heads 3"},
                new Object[] {new int[] {12, 8, 1, 4, 4, 4, 4}, "head size 3 is odd"},
                new Object[] {new int[] {0x616b3432, 1, 0, 0, 0, 0, 0}, "versioned export format"});
        for (Object[] c : cases) {
            Path f = header((int[]) c[0]);
            assertThatThrownBy(() -> Llama2cCheckpoint.open(f)).as((String) c[1])
                    .isInstanceOf(CheckpointFormatException.class).hasMessageContaining((String) c[1]);
        }
        Path tiny = Files.write(dir.resolve("tiny.bin"), new byte[10]);
        assertThatThrownBy(() -> Llama2cCheckpoint.open(tiny)).hasMessageContaining("less than the 28-byte");
    }
}
