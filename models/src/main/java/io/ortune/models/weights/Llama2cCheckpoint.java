package io.ortune.models.weights;

import io.ortune.graph.ir.BufferData;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.FileRegionData;
import io.ortune.graph.ir.Tensor;
import io.ortune.models.config.LlamaConfig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A checkpoint in llama2.c's legacy format ({@code run.c}'s "version 0"): seven little-endian int32 (dim,
 * hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len; a negative vocab_size means the classifier is not
 * shared with the embedding) followed by float32 weights in llama2.c's order, the legacy RoPE tables, and the
 * classifier when unshared.
 *
 * <p>Weights are exposed under Hugging Face Llama names, so one Llama builder serves both sources. The query and
 * key projections are permuted from llama2.c's interleaved-pair RoPE layout to Hugging Face's rotate_half layout
 * (see {@link #permuteForRotateHalf}); all other tensors are file regions read only when asked for.
 */
public final class Llama2cCheckpoint implements Weights {

    /** The header of a llama2.c checkpoint; {@code vocabSize} is positive, sharing given separately. */
    public record Header(int dim, int hiddenDim, int nLayers, int nHeads, int nKvHeads, int vocabSize,
                         boolean sharedClassifier, int seqLen) {

        /** Width of one attention head. */
        public int headSize() {
            return dim / nHeads;
        }

        /** Width of the key/value projections. */
        public int kvDim() {
            return nKvHeads * headSize();
        }
    }

    /** Where a tensor lives: float offset in the weights, shape, and the head count to permute by (0 = none). */
    private record Region(long floatOffset, long[] shape, int permuteHeads) {
        long floats() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    static final int HEADER_BYTES = 7 * 4;
    private static final int VERSIONED_MAGIC = 0x616b3432; // "ak42": llama2.c's export format versions 1 and 2

    private final Path path;
    private final Header header;
    private final LlamaConfig config;
    private final Map<String, Region> regions;
    private final SortedSet<String> names;

    private Llama2cCheckpoint(Path path, Header header, Map<String, Region> regions) {
        this.path = path;
        this.header = header;
        this.regions = regions;
        this.names = Collections.unmodifiableSortedSet(new TreeSet<>(regions.keySet()));
        this.config = new LlamaConfig(LlamaConfig.Variant.LLAMA, header.dim(), header.hiddenDim(), header.nLayers(),
                header.nHeads(), header.nKvHeads(), header.headSize(), header.vocabSize(), 1e-5, 10000.0,
                Optional.empty(), header.seqLen(), false, false, header.sharedClassifier(), "silu",
                OptionalInt.of(1), List.of(2), OptionalInt.empty(), OptionalInt.empty());
    }

    /**
     * Opens {@code file}, validating the header and that the file size matches it exactly.
     *
     * @throws CheckpointFormatException when the header is invalid or the size does not match
     */
    public static Llama2cCheckpoint open(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        long size = Files.size(abs);
        if (size < HEADER_BYTES) {
            throw new CheckpointFormatException(abs, "file has " + size + " bytes, less than the " + HEADER_BYTES
                    + "-byte llama2.c header");
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(abs, StandardOpenOption.READ)) {
            while (b.hasRemaining()) {
                if (ch.read(b, b.position()) < 0) {
                    throw new CheckpointFormatException(abs, "unexpected end of file in the header");
                }
            }
        }
        int[] h = new int[7];
        for (int i = 0; i < 7; i++) {
            h[i] = b.getInt(i * 4);
        }
        if (h[0] == VERSIONED_MAGIC) {
            throw new CheckpointFormatException(abs, "this is llama2.c's versioned export format (magic 'ak42'); "
                    + "only the legacy format (version 0, as read by run.c) is supported");
        }
        Header header = validate(abs, h);
        long expected;
        try {
            // closed form first: laying out a header claiming 2^31 layers would cost time and memory before the
            // size check could refuse it (found by Llama2cHeaderFuzzTest)
            expected = Math.addExact(HEADER_BYTES, Math.multiplyExact(4L, floatCount(header)));
        } catch (ArithmeticException e) {
            throw new CheckpointFormatException(abs, "header " + header + " describes more than 2^63 bytes");
        }
        if (size != expected) {
            throw new CheckpointFormatException(abs, "expected " + expected + " bytes for header " + header
                    + " but the file has " + size + " bytes (" + (size > expected ? size - expected + " too many"
                    : expected - size + " missing") + ")");
        }
        Map<String, Region> regions = new TreeMap<>();
        if (layout(header, regions) != floatCount(header)) {
            throw new IllegalStateException("llama2.c layout and float count disagree for " + header);
        }
        return new Llama2cCheckpoint(abs, header, regions);
    }

    /** Floats after the header: the weights in llama2.c's order, the RoPE tables, an unshared classifier. */
    private static long floatCount(Header h) {
        long dim = h.dim();
        long kv = h.kvDim();
        long hidden = h.hiddenDim();
        long perLayer = Math.addExact(Math.addExact(2 * dim, Math.multiplyExact(2 * dim, dim)),
                Math.addExact(Math.multiplyExact(2 * kv, dim), Math.multiplyExact(3 * hidden, dim)));
        long embed = Math.multiplyExact((long) h.vocabSize(), dim);
        long n = Math.addExact(embed, Math.multiplyExact(h.nLayers(), perLayer));
        n = Math.addExact(n, dim);
        n = Math.addExact(n, Math.multiplyExact(2L * h.seqLen(), h.headSize() / 2));
        return h.sharedClassifier() ? n : Math.addExact(n, embed);
    }

    private static Header validate(Path file, int[] h) throws CheckpointFormatException {
        String[] names = {"dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size", "seq_len"};
        for (int i = 0; i < 7; i++) {
            if (i == 5 ? h[i] == 0 || h[i] == Integer.MIN_VALUE : h[i] <= 0) {
                throw new CheckpointFormatException(file, "header field " + names[i] + " is " + h[i]
                        + "; it must be positive" + (i == 5 ? " (or negative for an unshared classifier)" : "")
                        + " — is this a llama2.c checkpoint?");
            }
        }
        int dim = h[0];
        int nHeads = h[3];
        int nKvHeads = h[4];
        if (dim % nHeads != 0) {
            throw new CheckpointFormatException(file, "dim " + dim + " is not divisible by n_heads " + nHeads);
        }
        if (nHeads % nKvHeads != 0) {
            throw new CheckpointFormatException(file, "n_heads " + nHeads + " is not divisible by n_kv_heads "
                    + nKvHeads);
        }
        if ((dim / nHeads) % 2 != 0) {
            throw new CheckpointFormatException(file, "head size " + dim / nHeads + " is odd; RoPE needs pairs");
        }
        return new Header(dim, h[1], h[2], nHeads, nKvHeads, Math.abs(h[5]), h[5] > 0, h[6]);
    }

    /** Fills {@code out} with every tensor's region and returns the total number of floats in the file. */
    private static long layout(Header h, Map<String, Region> out) {
        long dim = h.dim();
        long kv = h.kvDim();
        long hidden = h.hiddenDim();
        int layers = h.nLayers();
        long[] pos = {0};
        out.put("model.embed_tokens.weight", take(pos, 0, h.vocabSize(), dim));
        perLayer(out, pos, layers, "input_layernorm.weight", 0, dim);
        perLayer(out, pos, layers, "self_attn.q_proj.weight", h.nHeads(), dim, dim);
        perLayer(out, pos, layers, "self_attn.k_proj.weight", h.nKvHeads(), kv, dim);
        perLayer(out, pos, layers, "self_attn.v_proj.weight", 0, kv, dim);
        perLayer(out, pos, layers, "self_attn.o_proj.weight", 0, dim, dim);
        perLayer(out, pos, layers, "post_attention_layernorm.weight", 0, dim);
        perLayer(out, pos, layers, "mlp.gate_proj.weight", 0, hidden, dim);
        perLayer(out, pos, layers, "mlp.down_proj.weight", 0, dim, hidden);
        perLayer(out, pos, layers, "mlp.up_proj.weight", 0, hidden, dim);
        out.put("model.norm.weight", take(pos, 0, dim));
        pos[0] = Math.addExact(pos[0], Math.multiplyExact(2L * h.seqLen(), h.headSize() / 2)); // freq_cis real+imag
        if (!h.sharedClassifier()) {
            out.put("lm_head.weight", take(pos, 0, h.vocabSize(), dim));
        }
        return pos[0];
    }

    private static void perLayer(Map<String, Region> out, long[] pos, int layers, String suffix, int heads,
                                 long... shape) {
        for (int i = 0; i < layers; i++) {
            out.put("model.layers." + i + "." + suffix, take(pos, heads, shape));
        }
    }

    private static Region take(long[] pos, int heads, long... shape) {
        Region r = new Region(pos[0], shape, heads);
        pos[0] = Math.addExact(pos[0], r.floats());
        return r;
    }

    /** The checkpoint file (absolute). */
    public Path path() {
        return path;
    }

    /** The validated header. */
    public Header header() {
        return header;
    }

    /**
     * The equivalent Hugging Face Llama config: rope_theta 10000, rms_norm_eps 1e-5, SiLU, max positions = seq_len,
     * tied embeddings when the classifier is shared, bos 1 / eos 2 (llama2.c's SentencePiece convention).
     */
    public LlamaConfig config() {
        return config;
    }

    @Override
    public SortedSet<String> names() {
        return names;
    }

    @Override
    public long[] shape(String name) {
        return region(name).shape().clone();
    }

    /**
     * The tensor {@code name}: a file region, or for q_proj/k_proj a heap copy permuted to rotate_half layout.
     */
    @Override
    public Tensor tensor(String name) {
        Region r = region(name);
        FileRegionData data = new FileRegionData(path, HEADER_BYTES + 4 * r.floatOffset(), 4 * r.floats(),
                path.getFileName().toString());
        if (r.permuteHeads() == 0) {
            return new Tensor(name, DataType.FLOAT, r.shape(), data);
        }
        float[] w = new float[Math.toIntExact(r.floats())];
        data.read().asFloatBuffer().get(w);
        int rows = (int) r.shape()[0];
        float[] permuted = permuteForRotateHalf(w, r.permuteHeads(), rows / r.permuteHeads(), (int) r.shape()[1]);
        ByteBuffer out = ByteBuffer.allocate(permuted.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.asFloatBuffer().put(permuted);
        return new Tensor(name, DataType.FLOAT, r.shape(), new BufferData(out));
    }

    private Region region(String name) {
        Region r = regions.get(name);
        if (r == null) {
            throw MissingTensor.error(path.toString(), name, names);
        }
        return r;
    }

    /**
     * Reorders the rows of a q or k projection ({@code [heads * headDim, cols]}, row-major) from llama2.c's
     * interleaved RoPE pairs to Hugging Face's rotate_half halves: within each head, row {@code 2i} moves to
     * {@code i} and row {@code 2i+1} to {@code i + headDim/2}. This is the permutation of Hugging Face's
     * {@code convert_llama_weights_to_hf.py}: {@code w.view(heads, headDim/2, 2, cols).transpose(1, 2)}.
     */
    public static float[] permuteForRotateHalf(float[] w, int heads, int headDim, int cols) {
        if (headDim % 2 != 0 || (long) heads * headDim * cols != w.length) {
            throw new IllegalArgumentException("cannot permute " + w.length + " values as " + heads + " heads x "
                    + headDim + " rows x " + cols + " columns (head size must be even)");
        }
        float[] out = new float[w.length];
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            int base = h * headDim;
            for (int i = 0; i < half; i++) {
                System.arraycopy(w, (base + 2 * i) * cols, out, (base + i) * cols, cols);
                System.arraycopy(w, (base + 2 * i + 1) * cols, out, (base + i + half) * cols, cols);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "llama2.c checkpoint " + path + " " + header;
    }
}
