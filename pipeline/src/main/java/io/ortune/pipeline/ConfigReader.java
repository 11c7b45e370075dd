package io.ortune.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ortune.pipeline.config.PipelineFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** YAML text → {@link PipelineConfig}: strict parsing, then every {@link StageCheck}. */
final class ConfigReader {

    /** The mapper of pipeline files: kebab-case keys, unknown keys and duplicate keys rejected. */
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ConfigReader() {
    }

    static PipelineConfig read(String text, String source, Path baseDir) {
        KeyLocations locations;
        JsonNode tree;
        try {
            locations = KeyLocations.of(text);
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            var l = e.getLocation();
            throw new ConfigException(source, List.of(new ConfigException.Issue("", l == null ? ""
                    : "line " + l.getLineNr() + ", column " + l.getColumnNr(), "not valid YAML: "
                    + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new ConfigException(source, List.of(new ConfigException.Issue("", "", e.getMessage())));
        }
        if (tree == null || !tree.isObject()) {
            throw new ConfigException(source, List.of(new ConfigException.Issue("", "", "expected a mapping of "
                    + "stage sections (base:, inject:, train:, ...), got " + (tree == null ? "nothing"
                    : tree.getNodeType().name().toLowerCase()))));
        }
        Set<StageName> stages = EnumSet.noneOf(StageName.class);
        ObjectNode root = (ObjectNode) tree;
        for (StageName s : StageName.values()) {
            if (root.has(s.key())) {
                stages.add(s);
                if (root.get(s.key()).isNull()) {
                    root.putObject(s.key()); // "merge:" with nothing under it: enabled with defaults
                }
            }
        }
        PipelineFile file;
        try {
            file = YAML.treeToValue(root, PipelineFile.class);
        } catch (UnrecognizedPropertyException e) {
            String key = key(e);
            String known = e.getKnownPropertyIds() == null ? "" : " (known keys here: " + e.getKnownPropertyIds()
                    .stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
            throw new ConfigException(source, List.of(new ConfigException.Issue(key, locations.where(key),
                    "unknown key '" + e.getPropertyName() + "'" + known)));
        } catch (JsonMappingException e) {
            String key = key(e);
            throw new ConfigException(source, List.of(new ConfigException.Issue(key, locations.where(key),
                    "wrong type: " + firstLine(e.getOriginalMessage()))));
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, List.of(new ConfigException.Issue("", "", e.getOriginalMessage())));
        }
        PipelineConfig config = new PipelineConfig(source, baseDir, file, locations, stages);
        List<ConfigException.Issue> issues = new ArrayList<>();
        for (StageCheck check : StageCheck.ALL) {
            check.check(config, (k, m) -> issues.add(new ConfigException.Issue(k, config.where(k), m)));
        }
        if (!issues.isEmpty()) {
            throw new ConfigException(source, issues);
        }
        return config;
    }

    private static String key(JsonMappingException e) {
        List<String> parts = new ArrayList<>();
        for (JsonMappingException.Reference r : e.getPath()) {
            parts.add(r.getFieldName() != null ? r.getFieldName() : Integer.toString(r.getIndex()));
        }
        return String.join(".", parts);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
