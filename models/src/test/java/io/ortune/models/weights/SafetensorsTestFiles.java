package io.ortune.models.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Crafts raw safetensors files, valid or not, for tests. */
final class SafetensorsTestFiles {

    private SafetensorsTestFiles() {
    }

    /** A file with {@code header} (JSON text, unpadded) followed by {@code data}. */
    static Path raw(Path file, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return raw(file, h.length, h, data);
    }

    /** A file whose length field says {@code declaredLength}, followed by {@code header} and {@code data}. */
    static Path raw(Path file, long declaredLength, byte[] header, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLength).put(header).put(data);
        Files.write(file, b.array());
        return file;
    }

    static byte[] zeros(int n) {
        return new byte[n];
    }
}
