package io.ortune.models.weights;

import io.ortune.graph.ir.FileRegionData;
import io.ortune.graph.ir.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One safetensors file: an 8-byte little-endian header length, a JSON header, then the raw little-endian tensor
 * bytes. Opening reads and validates only the header; tensors are {@link FileRegionData} regions of the file, mapped
 * when read, so a file of any size opens with a small heap.
 *
 * <p>Validation is strict: the header length must fit the file (and be under {@value #MAX_HEADER_BYTES} bytes), the
 * header must be a JSON object whose entries each have a known dtype, a shape and data offsets inside the data region
 * matching dtype size times element count, and tensors must not overlap. All problems are reported together in one
 * {@link SafetensorsFormatException}.
 */
public final class SafetensorsFile implements Weights {

    /** Largest header accepted (100 MB, as the reference implementation). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private final Path path;
    private final long dataOffset;
    private final Map<String, SafetensorsEntry> entries;
    private final Map<String, String> metadata;
    private final SortedSet<String> names;

    private SafetensorsFile(Path path, long dataOffset, SafetensorsHeader.Parsed parsed) {
        this.path = path;
        this.dataOffset = dataOffset;
        this.entries = parsed.entries();
        this.metadata = Collections.unmodifiableMap(parsed.metadata());
        this.names = Collections.unmodifiableSortedSet(new TreeSet<>(parsed.entries().keySet()));
    }

    /**
     * Opens and validates {@code file}.
     *
     * @throws SafetensorsFormatException when the file breaks the format (every problem named)
     * @throws IOException                when it cannot be read
     */
    public static SafetensorsFile open(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        if (!Files.isRegularFile(abs)) {
            throw new java.nio.file.NoSuchFileException(abs.toString(), null, "no safetensors file here");
        }
        try (FileChannel ch = FileChannel.open(abs, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new SafetensorsFormatException(abs, null, "file has only " + size
                        + " bytes; a safetensors file starts with an 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLength = lenBuf.getLong(0);
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw new SafetensorsFormatException(abs, null, "header length " + Long.toUnsignedString(headerLength)
                        + " is absurd (limit " + MAX_HEADER_BYTES + " bytes); not a safetensors file?");
            }
            if (headerLength > size - 8) {
                throw new SafetensorsFormatException(abs, null, "header length " + headerLength
                        + " is larger than the file, which has " + (size - 8) + " bytes after the length field");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(ch, header, 8);
            long dataOffset = 8 + headerLength;
            SafetensorsHeader.Parsed parsed = SafetensorsHeader.parse(abs, header.array(), size - dataOffset);
            return new SafetensorsFile(abs, dataOffset, parsed);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    /** The file (absolute). */
    public Path path() {
        return path;
    }

    /** Absolute file offset of the data region (8 + header length). */
    public long dataOffset() {
        return dataOffset;
    }

    /** The header's {@code __metadata__} string map (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public SortedSet<String> names() {
        return names;
    }

    /** The header entry for {@code name}. */
    public SafetensorsEntry entry(String name) {
        SafetensorsEntry e = entries.get(name);
        if (e == null) {
            throw MissingTensor.error(path.toString(), name, names);
        }
        return e;
    }

    @Override
    public long[] shape(String name) {
        return entry(name).shape();
    }

    /** The tensor {@code name}, its bytes a lazily mapped region of this file. */
    @Override
    public Tensor tensor(String name) {
        SafetensorsEntry e = entry(name);
        FileRegionData data = new FileRegionData(path, dataOffset + e.begin(), e.byteLength(),
                path.getFileName().toString());
        return new Tensor(name, e.dtype().irType(), e.shape(), data);
    }

    /** All tensors by name, sorted (lazy: no data is read). */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, tensor(n));
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "safetensors " + path + " (" + names.size() + " tensors)";
    }
}
