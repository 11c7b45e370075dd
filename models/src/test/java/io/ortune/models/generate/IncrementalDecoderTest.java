package io.ortune.models.generate;

import io.ortune.models.TestData;
import io.ortune.models.tokenizer.Gpt2BpeTokenizer;
import io.ortune.models.tokenizer.Tokenizer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Streaming text token by token gives whole characters only, and the same text as decoding everything at once. */
class IncrementalDecoderTest {

    static Tokenizer gpt2;

    @BeforeAll
    static void load() throws IOException {
        gpt2 = Gpt2BpeTokenizer.load(TestData.file("tokenizers/gpt2"));
    }

    @Test
    void multiByteCharactersSplitAcrossTokensComeOutWhole() {
        int[] prompt = gpt2.encode("Say:");
        String generated = " h\u00e9llo \ud83d\ude00\ud83c\udf89 \u65e5\u672c\u8a9e done";
        int[] ids = gpt2.encode(generated);
        assertThat(ids.length).as("the emoji and CJK take several byte-level tokens each")
                .isGreaterThan(generated.codePointCount(0, generated.length()) / 2);
        IncrementalDecoder d = new IncrementalDecoder(gpt2, prompt);
        List<String> pieces = new ArrayList<>();
        for (int id : ids) {
            String piece = d.next(id);
            assertThat(piece).doesNotContain("\ufffd");
            if (!piece.isEmpty()) {
                pieces.add(piece);
            }
        }
        pieces.add(d.flush());
        assertThat(String.join("", pieces)).isEqualTo(generated);
        assertThat(pieces.size()).as("text streams in several pieces").isGreaterThan(3);
    }

    @Test
    void flushReleasesAnIncompleteCharacterAsReplacement() {
        int[] ids = gpt2.encode("\ud83d\ude00");
        assertThat(ids.length).isGreaterThan(1);
        IncrementalDecoder d = new IncrementalDecoder(gpt2, new int[0]);
        assertThat(d.next(ids[0])).isEmpty();
        assertThat(d.flush()).contains("\ufffd");
    }

    @Test
    void textStreamerHidesStopIdsAndFlushesPerRow() {
        int eos = gpt2.eosId().orElseThrow();
        int[] a = gpt2.encode(" caf\u00e9");
        int[] b = gpt2.encode(" ok");
        StringBuilder[] out = {new StringBuilder(), new StringBuilder()};
        TextStreamer s = new TextStreamer(gpt2, List.of(new int[] {1}, new int[] {2}), Set.of(eos),
                (row, text) -> out[row].append(text));
        for (int id : a) {
            s.onToken(0, id);
        }
        for (int id : b) {
            s.onToken(1, id);
        }
        s.onToken(1, eos);
        s.onFinish(0, StopReason.MAX_NEW_TOKENS);
        s.onFinish(1, StopReason.STOP_TOKEN);
        assertThat(out[0].toString()).isEqualTo(" caf\u00e9");
        assertThat(out[1].toString()).isEqualTo(" ok");
        assertThat(Arrays.stream(a).boxed().toList()).doesNotContain(eos);
    }
}
