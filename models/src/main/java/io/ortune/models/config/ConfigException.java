package io.ortune.models.config;

/**
 * A model configuration that cannot be used: malformed JSON, a missing or mistyped key, an unknown
 * {@code model_type}, or an option ortune does not support. The message names the source (file) and the key.
 */
public final class ConfigException extends RuntimeException {

    private final String source;

    public ConfigException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    public ConfigException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
    }

    /** Where the configuration came from (a file path, or a description such as ONNX metadata). */
    public String source() {
        return source;
    }
}
