package io.ortune.models.tokenizer;

import io.ortune.models.TestData;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link HfTokenizer} (DJL + Rust tokenizers), checked against {@link Gpt2BpeTokenizer} and a WordPiece fixture. */
class HfTokenizerTest {

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    static Path djlCache;
    static Gpt2BpeTokenizer reference;
    static HfTokenizer gpt2;

    @BeforeAll
    static void setUp() throws Exception {
        // keep DJL's native-library extraction inside this build's output unless the user chose a place
        if (System.getenv("DJL_CACHE_DIR") == null && System.getenv("ENGINE_CACHE_DIR") == null
                && System.getProperty("DJL_CACHE_DIR") == null && System.getProperty("ENGINE_CACHE_DIR") == null) {
            djlCache = Path.of(HfTokenizerTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .getParent().resolve("djl-cache");
            System.setProperty("ENGINE_CACHE_DIR", djlCache.toString());
        }
        reference = Gpt2BpeTokenizer.load(TestData.file("tokenizers/gpt2"));
        Path json = Gpt2TokenizerJson.write(TestData.file("tokenizers/gpt2"), shared.resolve("tokenizer.json"));
        gpt2 = HfTokenizer.load(json);
    }

    @AfterAll
    static void tearDown() {
        if (gpt2 != null) {
            gpt2.close();
        }
    }

    private static Path wordPiece() throws URISyntaxException {
        return Path.of(HfTokenizerTest.class.getResource("/tokenizers/wordpiece/tokenizer.json").toURI());
    }

    @Test
    void nativeLibraryComesFromTheJarWithNoDownload() throws IOException {
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch");
        Assumptions.assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")),
                "the jar-content check is written for linux-x86_64");
        assertThat(getClass().getClassLoader().getResource("native/lib/linux-x86_64/cpu/libtokenizers.so"))
                .as("DJL tokenizers jar ships the native library").isNotNull();
        assertThat(System.getProperty("OPT_OUT_TRACKING") != null || System.getenv("OPT_OUT_TRACKING") != null)
                .as("DJL telemetry probe disabled").isTrue();
        if (djlCache != null) {
            try (Stream<Path> files = Files.walk(djlCache)) {
                assertThat(files.map(p -> p.getFileName().toString())).as("extracted from the jar into " + djlCache)
                        .contains("libtokenizers.so");
            }
        }
    }

    @Test
    void gpt2TokenizerJsonMatchesTheJavaBpeOnRealText() throws IOException {
        String text = Files.readString(TestData.file("text/the-verdict.txt"), StandardCharsets.UTF_8);
        int[] ids = gpt2.encode(text);
        assertThat(ids).as("no truncation at DJL's default of 512").hasSize(5145);
        assertThat(ids).isEqualTo(reference.encode(text));
        assertThat(gpt2.decode(ids)).isEqualTo(text);
        assertThat(gpt2.encode("Hello world")).containsExactly(15496, 995);
        assertThat(gpt2.encode("a<|endoftext|>b")).containsExactly(64, 50256, 65);
        assertThat(gpt2.encode("Hello", true)).as("GPT-2 adds no special tokens").containsExactly(15496);
    }

    @Test
    void gpt2TokenizerJsonMatchesTheJavaBpeOnRandomUnicode() {
        Random r = new Random(77);
        for (int i = 0; i < 1500; i++) {
            String s = Gpt2BpeTokenizerTest.randomText(r, 30);
            int[] ids = gpt2.encode(s);
            assertThat(ids).as("encode %s", s.codePoints().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(reference.encode(s));
            assertThat(gpt2.decode(ids)).isEqualTo(s);
        }
    }

    @Test
    void gpt2VocabularyAndSpecialTokens() {
        assertThat(gpt2.modelType()).isEqualTo("BPE");
        assertThat(gpt2.vocabSize()).isEqualTo(50257);
        assertThat(gpt2.bosId()).hasValue(50256);
        assertThat(gpt2.eosId()).hasValue(50256);
        assertThat(gpt2.padId()).isEmpty();
        assertThat(gpt2.tokenToId("Ġworld")).hasValue(995);
        assertThat(gpt2.idToToken(50256)).hasValue("<|endoftext|>");
        assertThatThrownBy(() -> gpt2.decode(new int[] {50257})).hasMessageContaining("not in the vocabulary");
    }

    @Test
    void wordPieceEncodesDecodesAndAddsClsSep() throws Exception {
        try (HfTokenizer t = HfTokenizer.load(wordPiece())) {
            assertThat(t.modelType()).isEqualTo("WordPiece");
            assertThat(t.vocabSize()).isEqualTo(29);
            assertThat(t.encode("Hello, World! The fox jumps.")).containsExactly(20, 14, 21, 16, 5, 8, 9, 10, 15);
            assertThat(t.encode("Hello, World! The fox jumps.", true))
                    .containsExactly(2, 20, 14, 21, 16, 5, 8, 9, 10, 15, 3);
            assertThat(t.encode("unaffable playing")).containsExactly(17, 18, 19, 23, 22);
            assertThat(t.encode("Played?")).containsExactly(23, 26, 24);
            assertThat(t.encode("Héllo xyz")).as("accents stripped, unknown word").containsExactly(20, 1);
            assertThat(t.encode("中文")).containsExactly(27, 28);
            assertThat(t.decode(new int[] {20, 14, 21, 16})).isEqualTo("hello, world!");
            assertThat(t.decode(new int[] {17, 18, 19})).isEqualTo("unaffable");
            assertThat(t.decode(new int[] {2, 20, 3}, true)).isEqualTo("hello");
            assertThat(t.decode(new int[] {2, 20, 3})).isEqualTo("[CLS] hello [SEP]");
            assertThat(t.padId()).hasValue(0);
            assertThat(t.bosId()).isEmpty();
            assertThat(t.idToToken(10)).hasValue("##s");
        }
    }

    @Test
    void specialTokensComeFromTokenizerConfig() throws Exception {
        Files.copy(wordPiece(), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\":\"[CLS]\","
                + "\"eos_token\":{\"content\":\"[SEP]\",\"special\":true},\"pad_token\":\"[MASK]\"}");
        try (Tokenizer t = Tokenizers.load(dir)) {
            assertThat(t).isInstanceOf(HfTokenizer.class);
            assertThat(t.bosId()).hasValue(2);
            assertThat(t.eosId()).hasValue(3);
            assertThat(t.padId()).hasValue(4);
        }
    }

    @Test
    void tokenizersLoadPicksTheRightImplementation() throws Exception {
        try (Tokenizer t = Tokenizers.load(TestData.file("tokenizers/gpt2"))) {
            assertThat(t).isInstanceOf(Gpt2BpeTokenizer.class);
        }
        try (Tokenizer t = Tokenizers.load(TestData.file("tokenizers/gpt2/encoder.json"))) {
            assertThat(t).isInstanceOf(Gpt2BpeTokenizer.class);
        }
        try (Tokenizer t = Tokenizers.load(wordPiece())) {
            assertThat(t).isInstanceOf(HfTokenizer.class);
        }
        Files.copy(TestData.file("tokenizers/gpt2/encoder.json"), dir.resolve("vocab.json"));
        Files.copy(TestData.file("tokenizers/gpt2/vocab.bpe"), dir.resolve("merges.txt"));
        try (Tokenizer t = Tokenizers.load(dir)) {
            assertThat(t).isInstanceOf(Gpt2BpeTokenizer.class);
            assertThat(t.encode("Hello world")).containsExactly(15496, 995);
        }
    }

    @Test
    void missingOrBrokenTokenizersFailClearly() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.writeString(empty.resolve("README.md"), "x");
        assertThatThrownBy(() -> Tokenizers.load(empty)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining("looked for tokenizer.json (Hugging Face), encoder.json + vocab.bpe (GPT-2)")
                .hasMessageContaining("found: README.md");
        assertThatThrownBy(() -> Tokenizers.load(dir.resolve("missing"))).hasMessageContaining("no such tokenizer");
        Path notJson = Files.writeString(dir.resolve("tokenizer.json"), "{nope");
        assertThatThrownBy(() -> HfTokenizer.load(notJson)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining("not valid JSON");
        Files.writeString(notJson, "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[]},\"bogus\":1}");
        assertThatThrownBy(() -> HfTokenizer.load(notJson)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining("tokenizers library rejected it");
    }
}
