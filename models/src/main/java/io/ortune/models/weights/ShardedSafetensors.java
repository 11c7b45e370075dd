package io.ortune.models.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.ortune.graph.ir.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The weights of a Hugging Face checkpoint folder: either one {@value #SINGLE_FILE} or several shards listed by
 * {@value #INDEX_FILE} ({@code weight_map}: tensor name to shard file). Every shard is opened and validated up front,
 * and every tensor the index lists must be present in its shard.
 */
public final class ShardedSafetensors implements Weights {

    /** The index file name Hugging Face writes for sharded checkpoints. */
    public static final String INDEX_FILE = "model.safetensors.index.json";
    /** The file name of an unsharded checkpoint. */
    public static final String SINGLE_FILE = "model.safetensors";

    private final Path source;
    private final Map<String, SafetensorsFile> shardOf;
    private final List<SafetensorsFile> shards;
    private final Map<String, String> indexMetadata;
    private final SortedSet<String> names;

    private ShardedSafetensors(Path source, Map<String, SafetensorsFile> shardOf, List<SafetensorsFile> shards,
                               Map<String, String> indexMetadata) {
        this.source = source;
        this.shardOf = shardOf;
        this.shards = List.copyOf(shards);
        this.indexMetadata = Collections.unmodifiableMap(indexMetadata);
        this.names = Collections.unmodifiableSortedSet(new TreeSet<>(shardOf.keySet()));
    }

    /**
     * Opens a checkpoint: a folder holding {@value #INDEX_FILE} or {@value #SINGLE_FILE}, an index file, or a single
     * {@code .safetensors} file.
     */
    public static ShardedSafetensors open(Path dirOrFile) throws IOException {
        Path p = dirOrFile.toAbsolutePath();
        if (Files.isDirectory(p)) {
            if (Files.isRegularFile(p.resolve(INDEX_FILE))) {
                return openIndex(p.resolve(INDEX_FILE));
            }
            if (Files.isRegularFile(p.resolve(SINGLE_FILE))) {
                return single(SafetensorsFile.open(p.resolve(SINGLE_FILE)));
            }
            throw new NoSuchFileException(p.toString(), null, "no safetensors checkpoint: looked for " + INDEX_FILE
                    + " and " + SINGLE_FILE + found(p));
        }
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString(), null, "no such checkpoint folder or file");
        }
        return p.getFileName().toString().endsWith(".json") ? openIndex(p) : single(SafetensorsFile.open(p));
    }

    private static ShardedSafetensors single(SafetensorsFile f) {
        Map<String, SafetensorsFile> shardOf = new TreeMap<>();
        for (String n : f.names()) {
            shardOf.put(n, f);
        }
        return new ShardedSafetensors(f.path(), shardOf, List.of(f), Map.of());
    }

    private static ShardedSafetensors openIndex(Path index) throws IOException {
        JsonNode root;
        try {
            root = SafetensorsHeader.JSON.readTree(index.toFile());
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(index, null, "index is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("weight_map").isObject()) {
            throw new SafetensorsFormatException(index, null, "index has no \"weight_map\" object (tensor name -> "
                    + "shard file)");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : root.path("metadata").properties()) {
            metadata.put(f.getKey(), f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString());
        }
        List<SafetensorsFormatException.Issue> issues = new ArrayList<>();
        Map<String, List<String>> byShard = new TreeMap<>();
        for (Map.Entry<String, JsonNode> f : root.get("weight_map").properties()) {
            String shard = f.getValue().isTextual() ? f.getValue().textValue() : null;
            if (shard == null || shard.isEmpty() || shard.contains("/") || shard.contains("\\")
                    || shard.equals("..")) {
                issues.add(new SafetensorsFormatException.Issue(f.getKey(), "shard must be a file name in the "
                        + "index's folder, not " + f.getValue()));
            } else {
                byShard.computeIfAbsent(shard, k -> new ArrayList<>()).add(f.getKey());
            }
        }
        Path dir = index.getParent();
        Map<String, SafetensorsFile> shardOf = new TreeMap<>();
        List<SafetensorsFile> shards = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byShard.entrySet()) {
            Path shardPath = dir.resolve(e.getKey());
            if (!Files.isRegularFile(shardPath)) {
                issues.add(new SafetensorsFormatException.Issue(e.getValue().get(0), "shard file '" + e.getKey()
                        + "' is missing (" + shardPath + "); the index lists " + e.getValue().size()
                        + " tensor(s) in it"));
                continue;
            }
            SafetensorsFile shard = SafetensorsFile.open(shardPath);
            shards.add(shard);
            for (String name : e.getValue()) {
                if (shard.contains(name)) {
                    shardOf.put(name, shard);
                } else {
                    issues.add(new SafetensorsFormatException.Issue(name, "listed in the index for shard '"
                            + e.getKey() + "' but missing from it"));
                }
            }
        }
        if (!issues.isEmpty()) {
            throw new SafetensorsFormatException(index, issues, null);
        }
        return new ShardedSafetensors(index, shardOf, shards, metadata);
    }

    private static String found(Path dir) {
        try (var files = Files.list(dir)) {
            String names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".safetensors"))
                    .sorted().collect(Collectors.joining(", "));
            return names.isEmpty() ? "" : " (found only: " + names + ")";
        } catch (IOException e) {
            return "";
        }
    }

    /** The index file, or the single safetensors file. */
    public Path source() {
        return source;
    }

    /** The opened shards (one for an unsharded checkpoint), in file-name order. */
    public List<SafetensorsFile> shards() {
        return shards;
    }

    /** The index's {@code metadata} (such as {@code total_size}), as strings; empty for a single file. */
    public Map<String, String> indexMetadata() {
        return indexMetadata;
    }

    /** The {@code __metadata__} of the first shard (Hugging Face writes the same to every shard). */
    public Map<String, String> metadata() {
        return shards.isEmpty() ? Map.of() : shards.get(0).metadata();
    }

    /** The shard holding {@code name}. */
    public SafetensorsFile shardOf(String name) {
        SafetensorsFile f = shardOf.get(name);
        if (f == null) {
            throw MissingTensor.error(source.toString(), name, names);
        }
        return f;
    }

    @Override
    public SortedSet<String> names() {
        return names;
    }

    @Override
    public Tensor tensor(String name) {
        return shardOf(name).tensor(name);
    }

    @Override
    public long[] shape(String name) {
        return shardOf(name).shape(name);
    }

    @Override
    public String toString() {
        return "safetensors checkpoint " + source + " (" + names.size() + " tensors in " + shards.size()
                + " shard(s))";
    }
}
