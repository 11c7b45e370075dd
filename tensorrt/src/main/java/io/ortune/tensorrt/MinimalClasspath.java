package io.ortune.tensorrt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The jars engine building needs and nothing else (no ONNX Runtime): ortune's tensorrt and graph modules,
 * protobuf, jackson, JavaCPP, and the TensorRT and CUDA bindings with their JNI glue for this platform. Each is
 * found where the running JVM loads it from, so the list is the one this installation would use; the TensorRT and
 * CUDA libraries themselves come from the machine (a TensorRT 10.x install), never from these jars.
 *
 * <pre>{@code
 * MinimalClasspath cp = MinimalClasspath.resolve(MinimalClasspath.class.getClassLoader());
 * System.out.println(cp.classpath() + "  (" + cp.totalBytes() + " bytes)");
 * }</pre>
 *
 * @param entries one per needed artifact, in classpath order
 */
public record MinimalClasspath(List<Entry> entries) {

    /**
     * One needed artifact.
     *
     * @param artifact Maven coordinates (for the reader)
     * @param location the jar (or classes folder) it was loaded from; null when the JVM does not have it
     * @param bytes    its size on disk (a folder: the sum of its files)
     */
    public record Entry(String artifact, Path location, long bytes) {
        public boolean found() {
            return location != null;
        }
    }

    private record Need(String artifact, String resource) { }

    public MinimalClasspath {
        entries = List.copyOf(entries);
    }

    /** Finds every needed artifact through {@code loader}. */
    public static MinimalClasspath resolve(ClassLoader loader) {
        String platform = platform();
        List<Entry> out = new ArrayList<>();
        for (Need n : needs(platform)) {
            URL url = loader.getResource(n.resource());
            Path where = url == null ? null : root(url, n.resource());
            out.add(new Entry(n.artifact(), where, where == null ? 0 : size(where)));
        }
        return new MinimalClasspath(out);
    }

    private static List<Need> needs(String platform) {
        return List.of(
                new Need("io.ortune:ortune-tensorrt", "io/ortune/tensorrt/TensorRtCompiler.class"),
                new Need("io.ortune:ortune-graph", "io/ortune/graph/ir/Model.class"),
                new Need("com.google.protobuf:protobuf-java", "com/google/protobuf/Message.class"),
                new Need("com.fasterxml.jackson.core:jackson-databind",
                        "com/fasterxml/jackson/databind/ObjectMapper.class"),
                new Need("com.fasterxml.jackson.core:jackson-core", "com/fasterxml/jackson/core/JsonFactory.class"),
                new Need("com.fasterxml.jackson.core:jackson-annotations",
                        "com/fasterxml/jackson/annotation/JsonInclude.class"),
                new Need("org.bytedeco:javacpp", "org/bytedeco/javacpp/Loader.class"),
                new Need("org.bytedeco:javacpp:" + platform, "org/bytedeco/javacpp/" + platform + "/"
                        + "libjnijavacpp.so"),
                new Need("org.bytedeco:tensorrt", "org/bytedeco/tensorrt/global/nvinfer.class"),
                new Need("org.bytedeco:tensorrt:" + platform, "org/bytedeco/tensorrt/" + platform
                        + "/libjninvinfer.so"),
                new Need("org.bytedeco:cuda", "org/bytedeco/cuda/global/cudart.class"),
                new Need("org.bytedeco:cuda:" + platform, "org/bytedeco/cuda/" + platform + "/libjnicudart.so"));
    }

    /** JavaCPP's platform name for this JVM ({@code linux-x86_64}, {@code linux-arm64}). */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("windows") ? "windows" : os.startsWith("mac")
                ? "macosx" : os;
        String a = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
        return o + "-" + a;
    }

    private static Path root(URL url, String resource) {
        try {
            if (url.getProtocol().equals("jar")) {
                String s = url.getPath();
                return Path.of(new java.net.URI(s.substring(0, s.indexOf("!/"))));
            }
            if (url.getProtocol().equals("file")) {
                Path p = Path.of(url.toURI());
                for (int i = 0; i < resource.split("/").length; i++) {
                    p = p.getParent();
                }
                return p;
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    private static long size(Path p) {
        try {
            if (!Files.isDirectory(p)) {
                return Files.size(p);
            }
            try (Stream<Path> files = Files.walk(p)) {
                return files.filter(Files::isRegularFile).mapToLong(f -> {
                    try {
                        return Files.size(f);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).sum();
            }
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /** All found entries joined with the path separator, for {@code java -cp}. */
    public String classpath() {
        return entries.stream().filter(Entry::found).map(e -> e.location().toString())
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    public long totalBytes() {
        return entries.stream().mapToLong(Entry::bytes).sum();
    }

    /** Artifacts this JVM does not have. */
    public List<String> missing() {
        return entries.stream().filter(e -> !e.found()).map(Entry::artifact).toList();
    }
}
