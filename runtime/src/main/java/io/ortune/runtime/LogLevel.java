package io.ortune.runtime;

/** ONNX Runtime log severities ({@code OrtLoggingLevel}); messages below the chosen level are not printed. */
public enum LogLevel {
    VERBOSE(0),
    INFO(1),
    WARNING(2),
    ERROR(3),
    FATAL(4);

    private final int ortLevel;

    LogLevel(int ortLevel) {
        this.ortLevel = ortLevel;
    }

    /** The {@code OrtLoggingLevel} number. */
    public int ortLevel() {
        return ortLevel;
    }
}
