package io.ortune.models.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What ortune reads itself from a Hugging Face {@code tokenizer.json}: the vocabulary (the model's plus the added
 * tokens) and the BOS/EOS/pad tokens. Those come from {@code tokenizer_config.json} beside it when present, else
 * from well-known spellings among the special added tokens.
 */
final class HfTokenizerFile {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> BOS_NAMES = List.of("<s>", "<|begin_of_text|>", "<|startoftext|>",
            "<|endoftext|>");
    private static final List<String> EOS_NAMES = List.of("</s>", "<|end_of_text|>", "<|endoftext|>");
    private static final List<String> PAD_NAMES = List.of("<pad>", "[PAD]", "<|pad|>", "<|padding|>");

    private final Path path;
    private final String modelType;
    private final Map<String, Integer> tokenToId;
    private final String[] idToToken;
    private final OptionalInt bos;
    private final OptionalInt eos;
    private final OptionalInt pad;

    private HfTokenizerFile(Path path, String modelType, Map<String, Integer> tokenToId, Map<String, String> config,
                            Map<String, Boolean> special) {
        this.path = path;
        this.modelType = modelType;
        this.tokenToId = tokenToId;
        int size = 0;
        for (int id : tokenToId.values()) {
            size = Math.max(size, id + 1);
        }
        this.idToToken = new String[size];
        tokenToId.forEach((t, id) -> idToToken[id] = t);
        this.bos = pick(config.get("bos_token"), BOS_NAMES, special);
        this.eos = pick(config.get("eos_token"), EOS_NAMES, special);
        this.pad = pick(config.get("pad_token"), PAD_NAMES, special);
    }

    static HfTokenizerFile read(Path json) throws IOException {
        JsonNode root = readJson(json);
        JsonNode model = root.path("model");
        if (!model.isObject()) {
            throw new TokenizerException(json + ": no \"model\" object; is this a Hugging Face tokenizer.json?");
        }
        String type = model.path("type").asText(model.has("merges") ? "BPE" : "unknown");
        Map<String, Integer> vocab = new HashMap<>();
        JsonNode v = model.path("vocab");
        if (v.isObject()) {
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                vocab.put(e.getKey(), requireId(json, e.getKey(), e.getValue()));
            }
        } else if (v.isArray()) { // Unigram: [[piece, score], ...], id = position
            for (int i = 0; i < v.size(); i++) {
                vocab.put(v.get(i).path(0).asText(), i);
            }
        } else {
            throw new TokenizerException(json + ": model.vocab is missing or neither an object nor a list");
        }
        Map<String, Boolean> special = new HashMap<>();
        for (JsonNode t : root.path("added_tokens")) {
            String content = t.path("content").asText(null);
            if (content == null) {
                throw new TokenizerException(json + ": an added_tokens entry has no content: " + t);
            }
            vocab.put(content, requireId(json, content, t.path("id")));
            special.put(content, t.path("special").asBoolean(false));
        }
        Path configFile = json.resolveSibling("tokenizer_config.json");
        Map<String, String> config = Files.isRegularFile(configFile) ? specialNames(readJson(configFile)) : Map.of();
        return new HfTokenizerFile(json, type, vocab, config, special);
    }

    private static JsonNode readJson(Path file) throws IOException {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !n.isObject()) {
                throw new TokenizerException(file + ": expected a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new TokenizerException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (CharConversionException e) {
            // Jackson's UTF-16/32 decoders report bad code units with this plain IOException (fuzz finding)
            throw new TokenizerException(file + ": not valid JSON text: " + e.getMessage(), e);
        }
    }

    private static int requireId(Path file, String token, JsonNode id) throws TokenizerException {
        if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
            throw new TokenizerException(file + ": id of token '" + token + "' must be a non-negative integer, got "
                    + id);
        }
        return id.intValue();
    }

    /** bos_token / eos_token / pad_token from tokenizer_config.json: a string or {"content": ...}. */
    private static Map<String, String> specialNames(JsonNode config) {
        Map<String, String> out = new HashMap<>();
        for (String key : List.of("bos_token", "eos_token", "pad_token")) {
            JsonNode n = config.path(key);
            String name = n.isTextual() ? n.textValue() : n.path("content").asText(null);
            if (name != null) {
                out.put(key, name);
            }
        }
        return out;
    }

    private OptionalInt pick(String configured, List<String> wellKnown, Map<String, Boolean> special) {
        if (configured != null) {
            return tokenToId(configured);
        }
        for (String name : wellKnown) {
            if (Boolean.TRUE.equals(special.get(name))) {
                return tokenToId(name);
            }
        }
        return OptionalInt.empty();
    }

    Path path() {
        return path;
    }

    String modelType() {
        return modelType;
    }

    int vocabSize() {
        return idToToken.length;
    }

    OptionalInt tokenToId(String token) {
        Integer id = tokenToId.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    Optional<String> idToToken(int id) {
        return id >= 0 && id < idToToken.length ? Optional.ofNullable(idToToken[id]) : Optional.empty();
    }

    OptionalInt bosId() {
        return bos;
    }

    OptionalInt eosId() {
        return eos;
    }

    OptionalInt padId() {
        return pad;
    }
}
