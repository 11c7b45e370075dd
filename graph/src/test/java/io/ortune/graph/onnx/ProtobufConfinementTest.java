package io.ortune.graph.onnx;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Protobuf classes appear only in the serializer package: the rest of the graph module works on the IR. */
class ProtobufConfinementTest {

    @Test
    void onlyTheSerializerPackageUsesProtobuf() throws IOException {
        Path sources = RoundTrip.root().resolve("graph/src/main/java");
        Path allowed = sources.resolve("io/ortune/graph/onnx");
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(sources)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.getParent().equals(allowed))
                    .filter(ProtobufConfinementTest::mentionsProtobuf)
                    .toList();
        }
        assertThat(offenders).as("files outside io.ortune.graph.onnx that use protobuf classes").isEmpty();
    }

    private static boolean mentionsProtobuf(Path file) {
        try {
            String text = Files.readString(file);
            return text.contains("com.google.protobuf") || text.contains("io.ortune.graph.onnx.proto");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
