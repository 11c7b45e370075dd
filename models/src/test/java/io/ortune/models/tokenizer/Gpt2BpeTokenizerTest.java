package io.ortune.models.tokenizer;

import io.ortune.models.TestData;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Gpt2BpeTokenizerTest {

    static Gpt2BpeTokenizer gpt2;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        gpt2 = Gpt2BpeTokenizer.load(TestData.file("tokenizers/gpt2"));
    }

    /** Random text mixing scripts, emoji, combining marks, control characters and whitespace runs. */
    static String randomText(Random r, int maxLength) {
        int[][] ranges = {
                {0x20, 0x7E}, {0x20, 0x7E}, {0x20, 0x7E}, {0x00, 0x1F}, {0x7F, 0xA0}, {0xA1, 0x24F},
                {0x300, 0x36F}, {0x370, 0x3FF}, {0x400, 0x4FF}, {0x590, 0x6FF}, {0x900, 0x97F}, {0x3040, 0x30FF},
                {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0x1F300, 0x1FAFF}, {0x1D400, 0x1D7FF}, {0xE000, 0xF8FF},
                {0x10000, 0x10FFFF}};
        int[] spaces = {' ', ' ', ' ', '\t', '\n', '\r', 0x0B, 0x0C, 0x85, 0xA0, 0x1680, 0x2000, 0x2007, 0x200A,
                0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0x200B, 0xFEFF, 0x1C, 0x1F};
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(maxLength + 1);
        while (sb.codePointCount(0, sb.length()) < n) {
            int kind = r.nextInt(10);
            if (kind < 2) {
                int run = 1 + r.nextInt(4);
                for (int i = 0; i < run; i++) {
                    sb.appendCodePoint(spaces[r.nextInt(spaces.length)]);
                }
            } else if (kind == 2) {
                sb.append(new String[] {"'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "<|endoftext|>",
                        "<|endoftext", "123", " 4.5"}[r.nextInt(12)]);
            } else {
                int[] range = ranges[r.nextInt(ranges.length)];
                int cp = range[0] + r.nextInt(range[1] - range[0] + 1);
                if (cp >= 0xD800 && cp <= 0xDFFF) {
                    continue; // lone surrogates are not text
                }
                sb.appendCodePoint(cp);
            }
        }
        return sb.toString();
    }

    @Test
    void knownEncodings() {
        Map<String, int[]> known = new LinkedHashMap<>();
        known.put("Hello world", new int[] {15496, 995});
        known.put(" Hello", new int[] {18435});
        known.put("hello", new int[] {31373});
        known.put("Hello", new int[] {15496});
        known.put("hello world", new int[] {31373, 995});
        known.put("Hello, world!", new int[] {15496, 11, 995, 0});
        known.put("The quick brown fox jumps over the lazy dog.",
                new int[] {464, 2068, 7586, 21831, 18045, 625, 262, 16931, 3290, 13});
        known.put("I'm", new int[] {40, 1101});
        known.put("<|endoftext|>", new int[] {50256});
        known.put(" ", new int[] {220});
        known.put("\n", new int[] {198});
        known.put("\n\n", new int[] {628});
        known.put("a", new int[] {64});
        known.put("!", new int[] {0});
        known.put("", new int[0]);
        for (Map.Entry<String, int[]> e : known.entrySet()) {
            assertThat(gpt2.encode(e.getKey())).as("encode %s", e.getKey()).containsExactly(e.getValue());
            assertThat(gpt2.decode(e.getValue())).isEqualTo(e.getKey());
        }
    }

    @Test
    void encodingsAgreeWithTheVocabularyAndTheRegexSplits() {
        // "  hello": the first space stands alone (\s+(?!\S)), the second joins the word
        assertThat(gpt2.encode("  hello")).containsExactly(id("Ġ"), id("Ġhello"));
        assertThat(gpt2.encode("a  b")).containsExactly(id("a"), id("Ġ"), id("Ġb"));
        // byte-level: é is bytes C3 A9 spelled "Ã©"
        assertThat(gpt2.encode("é")).containsExactly(id("Ã©"));
        // case-sensitive contractions: 'S is not a contraction, so ' and S split
        assertThat(gpt2.encode("'S")).containsExactly(id("'"), id("S"));
        assertThat(gpt2.encode("it's")).containsExactly(id("it"), id("'s"));
        assertThat(gpt2.encode("a<|endoftext|>b")).containsExactly(id("a"), 50256, id("b"));
        assertThat(gpt2.encode("<|endoftext")).doesNotContain(50256);
    }

    private static int id(String token) {
        return gpt2.tokenToId(token).orElseThrow(() -> new AssertionError("no token " + token));
    }

    @Test
    void vocabularyAndSpecialTokens() {
        assertThat(gpt2.vocabSize()).isEqualTo(50257);
        assertThat(gpt2.bosId()).hasValue(50256);
        assertThat(gpt2.eosId()).hasValue(50256);
        assertThat(gpt2.padId()).isEmpty();
        assertThat(gpt2.idToToken(995)).hasValue("Ġworld");
        assertThat(gpt2.idToToken(50257)).isEmpty();
        assertThat(gpt2.tokenToId("not a token")).isEmpty();
    }

    @Test
    void roundTripsRandomUnicode() {
        Random r = new Random(20240601);
        for (int i = 0; i < 3000; i++) {
            String s = randomText(r, 40);
            int[] ids = gpt2.encode(s);
            assertThat(gpt2.decode(ids)).as("round trip of %s", s.codePoints()
                    .mapToObj(Integer::toHexString).toList()).isEqualTo(s);
        }
    }

    @Test
    void roundTripsTheVerdictWithTheKnownTokenCount() throws IOException {
        String text = Files.readString(TestData.file("text/the-verdict.txt"), StandardCharsets.UTF_8);
        int[] ids = gpt2.encode(text);
        // "Build a Large Language Model (From Scratch)", ch. 2, reports 5145 GPT-2 tokens for this file
        assertThat(ids).hasSize(5145);
        assertThat(gpt2.decode(ids)).isEqualTo(text);
    }

    @Test
    void decodingBadIdsFailsAndPartialCharactersBecomeReplacementCharacters() {
        assertThatThrownBy(() -> gpt2.decode(new int[] {50257})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token id 50257 is not in the vocabulary [0, 50257)");
        assertThatThrownBy(() -> gpt2.decode(new int[] {-1})).hasMessageContaining("-1");
        int firstByteOfEuro = id(String.valueOf(ByteLevel.charOf(0xE2)));
        assertThat(gpt2.decode(new int[] {firstByteOfEuro})).isEqualTo("\uFFFD");
    }

    @Test
    void malformedFilesAreNamedWithTheLine() throws IOException {
        Path vocab = Files.writeString(dir.resolve("encoder.json"), "{\"a\": 0}");
        Path merges = Files.writeString(dir.resolve("vocab.bpe"), "#version: 0.2\na b\nbroken\n");
        assertThatThrownBy(() -> Gpt2BpeTokenizer.load(vocab, merges)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining("no token for byte 0");
        Files.copy(TestData.file("tokenizers/gpt2/encoder.json"), vocab, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> Gpt2BpeTokenizer.load(vocab, merges)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining("vocab.bpe:3: a merge must be two tokens");
        Files.writeString(vocab, "[1, 2]");
        assertThatThrownBy(() -> Gpt2BpeTokenizer.load(vocab, merges)).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> Gpt2BpeTokenizer.load(dir.resolve("nothing-here")))
                .hasMessageContaining("looked for encoder.json + vocab.bpe and vocab.json + merges.txt");
    }
}
