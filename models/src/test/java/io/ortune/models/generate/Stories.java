package io.ortune.models.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ortune.models.TestData;
import io.ortune.runtime.SessionOptions;

import java.io.IOException;
import java.nio.file.Path;

/** The bundled stories260K checkpoint and its greedy golden continuation (golden/stories260K/greedy.json). */
final class Stories {

    static final SessionOptions OPTIONS = SessionOptions.builder().intraOpThreads(1).build();

    private Stories() {
    }

    static Path checkpoint() {
        return TestData.file("models/stories260K.bin");
    }

    static Path golden(String fixture, String file) {
        return TestData.root().resolve("models/src/test/resources/golden").resolve(fixture).resolve(file);
    }

    /** {@code prompt_ids} of greedy.json. */
    static int[] prompt() throws IOException {
        return ints(greedy().get("prompt_ids"));
    }

    /** {@code generated_ids} of greedy.json (40 ids, made without stopping at BOS/EOS). */
    static int[] generated() throws IOException {
        return ints(greedy().get("generated_ids"));
    }

    private static JsonNode greedy() throws IOException {
        return new ObjectMapper().readTree(golden("stories260K", "greedy.json").toFile());
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
