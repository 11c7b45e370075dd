package io.ortune.models.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's byte-level BPE, from OpenAI's {@code encoder.json} + {@code vocab.bpe} (or Hugging Face's identical
 * {@code vocab.json} + {@code merges.txt}).
 *
 * <p>Text is split around the special token {@code <|endoftext|>} (when the vocabulary has it), then by GPT-2's
 * pre-tokenization pattern; each piece's UTF-8 bytes are spelled in the {@link ByteLevel} alphabet and merged by
 * rank. {@code \s} in the pattern means Unicode white space, as in Hugging Face tokenizers. Every byte has a token,
 * so any string encodes and {@code decode(encode(s)).equals(s)}. Thread-safe.
 */
public final class Gpt2BpeTokenizer implements Tokenizer {

    /** GPT-2's pre-tokenization pattern. */
    public static final Pattern PRETOKENIZE = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    /** GPT-2's one special token. */
    public static final String END_OF_TEXT = "<|endoftext|>";

    private static final int CACHE_LIMIT = 100_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, Integer> encoder;
    private final String[] decoder;
    private final Map<String, Integer> ranks;
    private final Map<String, Integer> specials;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    private Gpt2BpeTokenizer(Map<String, Integer> encoder, String[] decoder, Map<String, Integer> ranks) {
        this.encoder = encoder;
        this.decoder = decoder;
        this.ranks = ranks;
        this.specials = encoder.containsKey(END_OF_TEXT) ? Map.of(END_OF_TEXT, encoder.get(END_OF_TEXT)) : Map.of();
    }

    /** Loads {@code encoder.json} + {@code vocab.bpe} (or {@code vocab.json} + {@code merges.txt}) from {@code dir}. */
    public static Gpt2BpeTokenizer load(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve("encoder.json")) && Files.isRegularFile(dir.resolve("vocab.bpe"))) {
            return load(dir.resolve("encoder.json"), dir.resolve("vocab.bpe"));
        }
        if (Files.isRegularFile(dir.resolve("vocab.json")) && Files.isRegularFile(dir.resolve("merges.txt"))) {
            return load(dir.resolve("vocab.json"), dir.resolve("merges.txt"));
        }
        throw new TokenizerException(dir + ": no GPT-2 BPE files (looked for encoder.json + vocab.bpe and "
                + "vocab.json + merges.txt)");
    }

    /**
     * Loads a vocabulary (JSON object: token to id) and a merge list (one {@code "a b"} pair per line, best first,
     * an optional {@code #version} first line).
     *
     * @throws TokenizerException naming the file and line of malformed content
     */
    public static Gpt2BpeTokenizer load(Path vocabJson, Path merges) throws IOException {
        Map<String, Integer> encoder = readVocab(vocabJson);
        int size = 0;
        for (int id : encoder.values()) {
            size = Math.max(size, id + 1);
        }
        String[] decoder = new String[size];
        for (Map.Entry<String, Integer> e : encoder.entrySet()) {
            if (decoder[e.getValue()] != null) {
                throw new TokenizerException(vocabJson + ": id " + e.getValue() + " is used by both '"
                        + decoder[e.getValue()] + "' and '" + e.getKey() + "'");
            }
            decoder[e.getValue()] = e.getKey();
        }
        for (int b = 0; b < 256; b++) {
            if (!encoder.containsKey(String.valueOf(ByteLevel.charOf(b)))) {
                throw new TokenizerException(vocabJson + ": no token for byte " + b + " ('" + ByteLevel.charOf(b)
                        + "'); a byte-level BPE vocabulary needs all 256");
            }
        }
        return new Gpt2BpeTokenizer(encoder, decoder, readMerges(merges));
    }

    private static Map<String, Integer> readVocab(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new TokenizerException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new TokenizerException(file + ": expected a JSON object mapping tokens to ids");
        }
        Map<String, Integer> out = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode v = e.getValue();
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 0) {
                throw new TokenizerException(file + ": id of token '" + e.getKey() + "' must be a non-negative "
                        + "integer, got " + v);
            }
            out.put(e.getKey(), v.intValue());
        }
        return out;
    }

    private static Map<String, Integer> readMerges(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, Integer> ranks = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty() || (i == 0 && line.startsWith("#version"))) {
                continue;
            }
            String[] parts = line.split(" ", -1);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new TokenizerException(file + ":" + (i + 1) + ": a merge must be two tokens separated by one "
                        + "space, got '" + line + "'");
            }
            ranks.putIfAbsent(line, ranks.size());
        }
        return ranks;
    }

    @Override
    public int[] encode(String text) {
        IdList out = new IdList();
        int start = 0;
        while (start <= text.length()) {
            int next = -1;
            String special = null;
            for (String s : specials.keySet()) {
                int at = text.indexOf(s, start);
                if (at >= 0 && (next < 0 || at < next)) {
                    next = at;
                    special = s;
                }
            }
            encodeOrdinary(text.substring(start, next < 0 ? text.length() : next), out);
            if (next < 0) {
                break;
            }
            out.add(specials.get(special));
            start = next + special.length();
        }
        return out.toArray();
    }

    private void encodeOrdinary(String text, IdList out) {
        Matcher m = PRETOKENIZE.matcher(text);
        while (m.find()) {
            String piece = ByteLevel.encode(m.group().getBytes(StandardCharsets.UTF_8));
            int[] ids = cache.get(piece);
            if (ids == null) {
                ids = bpe(piece);
                if (cache.size() >= CACHE_LIMIT) {
                    cache.clear();
                }
                cache.put(piece, ids);
            }
            out.addAll(ids);
        }
    }

    /** Merges the characters of one byte-level piece by rank and returns the token ids. */
    private int[] bpe(String piece) {
        List<String> word = new ArrayList<>(piece.length());
        for (int i = 0; i < piece.length(); i++) {
            word.add(String.valueOf(piece.charAt(i)));
        }
        while (word.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            String first = null;
            String second = null;
            for (int i = 0; i + 1 < word.size(); i++) {
                Integer r = ranks.get(word.get(i) + " " + word.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    first = word.get(i);
                    second = word.get(i + 1);
                }
            }
            if (first == null) {
                break;
            }
            List<String> merged = new ArrayList<>(word.size());
            for (int i = 0; i < word.size(); i++) {
                if (i + 1 < word.size() && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i++;
                } else {
                    merged.add(word.get(i));
                }
            }
            word = merged;
        }
        int[] ids = new int[word.size()];
        for (int i = 0; i < ids.length; i++) {
            Integer id = encoder.get(word.get(i));
            if (id == null) {
                throw new IllegalStateException("BPE produced '" + word.get(i) + "', which is not in the vocabulary;"
                        + " the merges do not match the vocabulary");
            }
            ids[i] = id;
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            String token = id >= 0 && id < decoder.length ? decoder[id] : null;
            if (token == null) {
                throw new IllegalArgumentException("token id " + id + " is not in the vocabulary [0, "
                        + decoder.length + ")");
            }
            if (specials.containsKey(token)) {
                bytes.writeBytes(token.getBytes(StandardCharsets.UTF_8));
                continue;
            }
            for (int i = 0; i < token.length(); i++) {
                int b = ByteLevel.byteOf(token.charAt(i));
                if (b < 0) {
                    throw new IllegalStateException("token " + id + " '" + token + "' has a character outside the "
                            + "byte-level alphabet");
                }
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return decoder.length;
    }

    @Override
    public OptionalInt tokenToId(String token) {
        Integer id = encoder.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public Optional<String> idToToken(int id) {
        return id >= 0 && id < decoder.length ? Optional.ofNullable(decoder[id]) : Optional.empty();
    }

    /** {@code <|endoftext|>}, which GPT-2 uses as both BOS and EOS. */
    @Override
    public OptionalInt bosId() {
        return tokenToId(END_OF_TEXT);
    }

    @Override
    public OptionalInt eosId() {
        return tokenToId(END_OF_TEXT);
    }

    /** GPT-2 has no padding token. */
    @Override
    public OptionalInt padId() {
        return OptionalInt.empty();
    }

    /** A growable int array. */
    private static final class IdList {
        private int[] a = new int[16];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        void addAll(int[] vs) {
            for (int v : vs) {
                add(v);
            }
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
