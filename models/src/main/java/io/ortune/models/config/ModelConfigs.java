package io.ortune.models.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ortune.graph.io.ReadableFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads Hugging Face {@code config.json} files into {@link ModelConfig} records, dispatching on {@code model_type}. */
public final class ModelConfigs {

    /** The {@code model_type} values ortune understands. */
    public static final List<String> SUPPORTED_MODEL_TYPES = List.of("gpt2", "llama", "mistral", "qwen2", "bert");

    /** The config file name inside a checkpoint folder. */
    public static final String CONFIG_FILE = "config.json";

    private ModelConfigs() {
    }

    /**
     * Reads {@code pathOrDir} ({@value #CONFIG_FILE} itself, or a folder holding one).
     *
     * @throws ConfigException for malformed or unsupported content
     * @throws IOException     when the file cannot be read
     */
    public static ModelConfig read(Path pathOrDir) throws IOException {
        Path file = pathOrDir;
        if (Files.isDirectory(pathOrDir)) {
            ReadableFiles.folder(pathOrDir, "model config folder");
            file = pathOrDir.resolve(CONFIG_FILE);
            if (!Files.exists(file)) {
                throw new NoSuchFileException(file.toString(), null, "no model config (looked for " + CONFIG_FILE
                        + ")");
            }
        }
        ReadableFiles.file(file, "model config (a " + CONFIG_FILE + " file or a folder holding one)");
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses config JSON text ({@code source} names where it came from, for error messages), e.g. a config stored
     * earlier with {@link ModelConfig#toJson()}.
     */
    public static ModelConfig parse(String json, String source) {
        JsonNode root;
        try {
            root = ConfigJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(source, "a model config must be a JSON object");
        }
        ConfigJson j = new ConfigJson((ObjectNode) root, source);
        String type = j.stringOr("model_type", null);
        if (type == null) {
            throw j.error("no 'model_type' key (supported: " + String.join(", ", SUPPORTED_MODEL_TYPES) + ")");
        }
        try {
            switch (type) {
                case "gpt2":
                    return Gpt2Config.parse(j);
                case "llama":
                case "mistral":
                case "qwen2":
                    return LlamaConfig.parse(j, type);
                case "bert":
                    return BertConfig.parse(j);
                default:
                    throw j.error("model_type '" + type + "' is not supported (supported: "
                            + String.join(", ", SUPPORTED_MODEL_TYPES) + ")");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source, "invalid " + type + " config: " + e.getMessage(), e);
        }
    }

    /** Parses and checks that the result is a {@code type} config, for callers that need one family. */
    public static <T extends ModelConfig> T parse(String json, String source, Class<T> type) {
        ModelConfig c = parse(json, source);
        if (!type.isInstance(c)) {
            throw new ConfigException(source, "expected a " + type.getSimpleName() + " but model_type is '"
                    + c.modelType() + "'");
        }
        return type.cast(c);
    }
}
