package io.ortune.runtime;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to build a session: threads, graph optimizations, execution provider, memory planning, profiling. Immutable;
 * make one with {@link #defaults()} or {@link #builder()}. A thread count of 0 lets ONNX Runtime choose.
 *
 * @param intraOpThreads     threads inside one operator (0 = ONNX Runtime's choice, the physical cores)
 * @param interOpThreads     threads across independent operators in {@link ExecutionMode#PARALLEL} (0 = default)
 * @param optimizationLevel  how much ONNX Runtime rewrites the graph when loading it
 * @param executionMode      sequential or parallel execution of independent nodes
 * @param executionProvider  CPU (default) or CUDA; CUDA fails with a {@link RuntimeUnavailableException} when absent
 * @param cudaDeviceId       GPU ordinal when the provider is CUDA
 * @param memoryPattern      let ONNX Runtime plan memory from the first run's shapes (good for fixed shapes)
 * @param cpuArena           use ONNX Runtime's arena allocator on the CPU (faster, keeps freed memory)
 * @param profilingPrefix    when set, write a Chrome-trace profile whose file name starts with this path
 * @param optimizedModelPath when set, save the graph as optimized by ONNX Runtime to this file
 * @param configEntries      extra {@code AddSessionConfigEntry} keys, e.g. {@code session.use_env_allocators}
 * @param freeDimensions     fixed sizes for symbolic dimensions ({@code AddFreeDimensionOverrideByName})
 */
public record SessionOptions(int intraOpThreads, int interOpThreads, GraphOptimizationLevel optimizationLevel,
                             ExecutionMode executionMode, ExecutionProvider executionProvider, int cudaDeviceId,
                             boolean memoryPattern, boolean cpuArena, Path profilingPrefix, Path optimizedModelPath,
                             Map<String, String> configEntries, Map<String, Long> freeDimensions) {

    public SessionOptions {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be >= 0 (0 = ONNX Runtime's choice), got intra-op "
                    + intraOpThreads + ", inter-op " + interOpThreads);
        }
        if (cudaDeviceId < 0) {
            throw new IllegalArgumentException("CUDA device id must be >= 0, got " + cudaDeviceId);
        }
        Objects.requireNonNull(optimizationLevel, "optimizationLevel");
        Objects.requireNonNull(executionMode, "executionMode");
        Objects.requireNonNull(executionProvider, "executionProvider");
        configEntries = Map.copyOf(configEntries);
        freeDimensions = Map.copyOf(freeDimensions);
        for (Map.Entry<String, Long> e : freeDimensions.entrySet()) {
            if (e.getValue() < 1) {
                throw new IllegalArgumentException("free dimension '" + e.getKey()
                        + "' must be fixed to a size >= 1, got " + e.getValue());
            }
        }
    }

    /** ONNX Runtime's defaults on the CPU: all optimizations, sequential, memory pattern and arena on. */
    public static SessionOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.intraOpThreads = intraOpThreads;
        b.interOpThreads = interOpThreads;
        b.optimizationLevel = optimizationLevel;
        b.executionMode = executionMode;
        b.executionProvider = executionProvider;
        b.cudaDeviceId = cudaDeviceId;
        b.memoryPattern = memoryPattern;
        b.cpuArena = cpuArena;
        b.profilingPrefix = profilingPrefix;
        b.optimizedModelPath = optimizedModelPath;
        b.configEntries.putAll(configEntries);
        b.freeDimensions.putAll(freeDimensions);
        return b;
    }

    /** Builds {@link SessionOptions}; every setter returns the builder. */
    public static final class Builder {
        private int intraOpThreads;
        private int interOpThreads;
        private GraphOptimizationLevel optimizationLevel = GraphOptimizationLevel.ALL;
        private ExecutionMode executionMode = ExecutionMode.SEQUENTIAL;
        private ExecutionProvider executionProvider = ExecutionProvider.CPU;
        private int cudaDeviceId;
        private boolean memoryPattern = true;
        private boolean cpuArena = true;
        private Path profilingPrefix;
        private Path optimizedModelPath;
        private final Map<String, String> configEntries = new LinkedHashMap<>();
        private final Map<String, Long> freeDimensions = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder intraOpThreads(int n) {
            this.intraOpThreads = n;
            return this;
        }

        public Builder interOpThreads(int n) {
            this.interOpThreads = n;
            return this;
        }

        public Builder optimizationLevel(GraphOptimizationLevel level) {
            this.optimizationLevel = level;
            return this;
        }

        public Builder executionMode(ExecutionMode mode) {
            this.executionMode = mode;
            return this;
        }

        public Builder executionProvider(ExecutionProvider provider) {
            this.executionProvider = provider;
            return this;
        }

        /** Runs on the CUDA provider, GPU {@code deviceId}. */
        public Builder cuda(int deviceId) {
            this.executionProvider = ExecutionProvider.CUDA;
            this.cudaDeviceId = deviceId;
            return this;
        }

        public Builder memoryPattern(boolean on) {
            this.memoryPattern = on;
            return this;
        }

        public Builder cpuArena(boolean on) {
            this.cpuArena = on;
            return this;
        }

        /** Enables profiling; ONNX Runtime appends a timestamp and {@code .json} to {@code prefix}. */
        public Builder profiling(Path prefix) {
            this.profilingPrefix = prefix;
            return this;
        }

        public Builder optimizedModelPath(Path path) {
            this.optimizedModelPath = path;
            return this;
        }

        public Builder configEntry(String key, String value) {
            this.configEntries.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder freeDimension(String symbol, long size) {
            this.freeDimensions.put(Objects.requireNonNull(symbol, "symbol"), size);
            return this;
        }

        public SessionOptions build() {
            return new SessionOptions(intraOpThreads, interOpThreads, optimizationLevel, executionMode,
                    executionProvider, cudaDeviceId, memoryPattern, cpuArena, profilingPrefix, optimizedModelPath,
                    configEntries, freeDimensions);
        }
    }
}
