package io.ortune.models.weights;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.ir.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes safetensors files: tensors in name order, the header padded with spaces so the data region starts on an
 * 8-byte boundary, tensor bytes streamed from their source (a file-backed tensor is never loaded whole). Every file is
 * written to a temporary file in the target folder and then renamed, so a reader never sees a half-written file and
 * a tensor may be read from the very file being replaced.
 */
public final class SafetensorsWriter {

    private SafetensorsWriter() {
    }

    /** Writes {@code tensors} (stored under their map keys) with no metadata. */
    public static void write(Path target, Map<String, Tensor> tensors) throws IOException {
        write(target, tensors, Map.of());
    }

    /**
     * Writes {@code tensors}, stored under their map keys, with {@code metadata} as the {@code __metadata__} entry
     * (omitted when empty).
     *
     * @throws IllegalArgumentException for a tensor type safetensors cannot hold or a reserved/empty name
     */
    public static void write(Path target, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Map<String, Tensor> sorted = new TreeMap<>(tensors);
        byte[] header = header(sorted, metadata);
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        AtomicFiles.write(abs, ch -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            len.putLong(0, header.length);
            AtomicFiles.writeFully(ch, len);
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(header));
            for (Tensor t : sorted.values()) {
                t.data().writeTo(ch);
            }
        });
    }

    /**
     * Writes {@code tensors} as shards of at most {@code maxShardBytes} data bytes each (a larger tensor gets a shard
     * of its own), named {@code model-00001-of-0000N.safetensors}, plus {@value ShardedSafetensors#INDEX_FILE}.
     *
     * @return the shard file names, in order
     */
    public static List<String> writeSharded(Path dir, Map<String, Tensor> tensors, Map<String, String> metadata,
                                            long maxShardBytes) throws IOException {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
        }
        List<Map<String, Tensor>> groups = new ArrayList<>();
        Map<String, Tensor> current = new TreeMap<>();
        long currentBytes = 0;
        long total = 0;
        for (Map.Entry<String, Tensor> e : new TreeMap<>(tensors).entrySet()) {
            long size = e.getValue().byteSize();
            if (!current.isEmpty() && currentBytes + size > maxShardBytes) {
                groups.add(current);
                current = new TreeMap<>();
                currentBytes = 0;
            }
            current.put(e.getKey(), e.getValue());
            currentBytes += size;
            total += size;
        }
        if (!current.isEmpty() || groups.isEmpty()) {
            groups.add(current);
        }
        Files.createDirectories(dir);
        List<String> files = new ArrayList<>();
        ObjectNode index = SafetensorsHeader.JSON.createObjectNode();
        index.putObject("metadata").put("total_size", total);
        ObjectNode weightMap = index.putObject("weight_map");
        for (int i = 0; i < groups.size(); i++) {
            String file = String.format("model-%05d-of-%05d.safetensors", i + 1, groups.size());
            write(dir.resolve(file), groups.get(i), metadata);
            files.add(file);
            for (String name : groups.get(i).keySet()) {
                weightMap.put(name, file);
            }
        }
        byte[] json = SafetensorsHeader.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(index);
        Files.createDirectories(dir.toAbsolutePath());
        AtomicFiles.write(dir.resolve(ShardedSafetensors.INDEX_FILE).toAbsolutePath(), json);
        return files;
    }

    /** The JSON header bytes, padded with spaces so that 8 + length is a multiple of 8. */
    static byte[] header(Map<String, Tensor> sorted, Map<String, String> metadata) {
        ObjectNode root = SafetensorsHeader.JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name.isEmpty() || name.equals(SafetensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException("tensor name '" + name + "' is reserved or empty in safetensors");
            }
            SafetensorsDType dtype;
            try {
                dtype = SafetensorsDType.fromIr(t.dtype());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("tensor '" + name + "': " + ex.getMessage(), ex);
            }
            ObjectNode entry = root.putObject(name);
            entry.put("dtype", dtype.name());
            ArrayNode shape = entry.putArray("shape");
            for (long d : t.dims()) {
                shape.add(d);
            }
            long end = offset + t.byteSize();
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = SafetensorsHeader.JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a safetensors header", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = java.util.Arrays.copyOf(json, padded);
        java.util.Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }
}
