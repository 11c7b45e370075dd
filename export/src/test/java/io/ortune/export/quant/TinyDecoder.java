package io.ortune.export.quant;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.runtime.InferenceSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded toy decoder with every placement case: an embedding, a weight-free attention-like block (activation ×
 * activation MatMuls, softmax), skip-connection Adds, a pre-transposed {@code [in, out]} linear, an
 * {@code [out, in]} linear behind a Transpose, a Gemm-free head of its own (not tied) → {@code logits}.
 */
final class TinyDecoder {

    static final int VOCAB = 40;
    static final int DIM = 32;
    static final int HIDDEN = 64;

    private TinyDecoder() {
    }

    static Model build(long seed) {
        Random r = new Random(seed);
        GraphBuilder b = GraphBuilder.create("tiny");
        Value ids = b.input("input_ids", DataType.INT64, "batch", "seq");
        Value h = b.gather(b.initializer("model.embed_tokens.weight", randn(r, "e", 1.0, VOCAB, DIM)), ids, 0);
        Value scores = b.matMul(h, b.transpose(h, 0, 2, 1));
        Value ctx = b.matMul(b.softmax(scores, -1), h);
        Value r1 = b.add(h, ctx);
        Value up = b.matMul(r1, b.initializer("model.layers.0.mlp.up_proj.weight",
                randn(r, "u", 0.2, DIM, HIDDEN)));
        Value down = b.matMul(b.relu(up), b.transpose(b.initializer("model.layers.0.mlp.down_proj.weight",
                randn(r, "d", 0.15, DIM, HIDDEN)), 1, 0));
        Value r2 = b.add(r1, down);
        b.output(b.matMul(r2, b.initializer("lm_head.weight", randn(r, "h", 0.3, DIM, VOCAB))), "logits");
        return b.model();
    }

    static Tensor randn(Random r, String name, double std, long rows, long cols) {
        float[] v = new float[(int) (rows * cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return Tensor.ofFloats(name, new long[] {rows, cols}, v);
    }

    /** {@code n} rows of {@code len} seeded random ids, as a JSON-lines file. */
    static Path rows(Path dir, String file, int n, int len, long seed) throws IOException {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder("{\"input_ids\":[");
            for (int j = 0; j < len; j++) {
                sb.append(j == 0 ? "" : ",").append(r.nextInt(VOCAB));
            }
            lines.add(sb.append("]}").toString());
        }
        return Files.write(dir.resolve(file), lines);
    }

    static Map<String, Tensor> run(Model m, Map<String, Tensor> feeds) {
        try (InferenceSession s = InferenceSession.fromBytes(OnnxWriter.toBytes(m))) {
            return s.run(feeds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
