package io.ortune.models.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Converts OpenAI's GPT-2 files ({@code encoder.json}, {@code vocab.bpe}) into the Hugging Face {@code tokenizer.json}
 * that {@code transformers} ships for gpt2: a byte-level BPE model, ByteLevel pre-tokenizer and decoder, and
 * {@code <|endoftext|>} as a special added token.
 */
final class Gpt2TokenizerJson {

    private Gpt2TokenizerJson() {
    }

    static Path write(Path gpt2Dir, Path out) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        JsonNode vocab = json.readTree(gpt2Dir.resolve("encoder.json").toFile());
        List<String> lines = Files.readAllLines(gpt2Dir.resolve("vocab.bpe"), StandardCharsets.UTF_8);

        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0").putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens").addObject().put("id", 50256).put("content", "<|endoftext|>")
                .put("single_word", false).put("lstrip", false).put("rstrip", false).put("normalized", true)
                .put("special", true);
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        root.putObject("post_processor").put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", false).put("use_regex", true);
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "").put("end_of_word_suffix", "").put("fuse_unk", false)
                .put("byte_fallback", false);
        model.set("vocab", vocab);
        ArrayNode merges = model.putArray("merges");
        for (String line : lines) {
            if (!line.isEmpty() && !line.startsWith("#version")) {
                merges.add(line);
            }
        }
        json.writeValue(out.toFile(), root);
        return out;
    }
}
