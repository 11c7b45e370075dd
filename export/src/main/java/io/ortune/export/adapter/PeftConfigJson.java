package io.ortune.export.adapter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link PeftAdapterConfig} to and from the JSON Python PEFT writes: every field of the method's config class, keys
 * sorted, two-space indent ({@code json.dumps(..., indent=2, sort_keys=True)}). Reading tolerates unknown fields
 * (kept in {@link PeftAdapterConfig#other()}); a field of the wrong JSON type fails naming it.
 */
public final class PeftConfigJson {

    /** The file name PEFT uses. */
    public static final String FILE = "adapter_config.json";

    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private static final List<String> TYPED = List.of("peft_type", "task_type", "base_model_name_or_path", "r",
            "lora_alpha", "lora_dropout", "target_modules", "fan_in_fan_out", "use_rslora", "use_dora",
            "rank_pattern", "alpha_pattern", "layers_to_transform", "init_lora_weights", "bias", "modules_to_save",
            "feedforward_modules", "num_virtual_tokens");

    private PeftConfigJson() {
    }

    /**
     * Parses {@code json}.
     *
     * @param source the file, for messages
     * @throws AdapterException naming every field that is missing, of the wrong type or invalid
     */
    public static PeftAdapterConfig parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AdapterException(source, "not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
        if (root == null || !root.isObject()) {
            throw new AdapterException(source, "must hold a JSON object, found " + (root == null ? "nothing"
                    : root.getNodeType()));
        }
        Fields f = new Fields(root);
        String peftType = f.string("peft_type", null);
        if (peftType == null) {
            f.issues.add("peft_type: missing; PEFT writes it in every adapter_config.json");
        }
        boolean lora = "LORA".equals(peftType);
        PeftAdapterConfig.Targets targets = f.targets();
        Map<String, Object> other = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!TYPED.contains(e.getKey())) {
                other.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
            }
        }
        int r = f.integer("r", lora ? 8 : 0);
        double alpha = f.number("lora_alpha", lora ? 8 : 0);
        String task = f.string("task_type", null);
        String base = f.string("base_model_name_or_path", null);
        double dropout = f.number("lora_dropout", 0);
        boolean fanInFanOut = f.bool("fan_in_fan_out", false);
        boolean rslora = f.bool("use_rslora", false);
        boolean dora = f.bool("use_dora", false);
        Map<String, Integer> ranks = f.intMap("rank_pattern");
        Map<String, Double> alphas = f.numberMap("alpha_pattern");
        List<Integer> layers = f.intList("layers_to_transform");
        String init = f.scalarText("init_lora_weights", "true");
        String bias = f.string("bias", "none");
        List<String> toSave = f.stringList("modules_to_save");
        List<String> feedforward = f.stringList("feedforward_modules");
        int virtualTokens = f.integer("num_virtual_tokens", 0);
        PeftAdapterConfig config = null;
        if (f.issues.isEmpty()) {
            try {
                config = new PeftAdapterConfig(peftType, task, base, r, alpha, dropout, targets, fanInFanOut, rslora,
                        dora, ranks, alphas, layers, init, bias, toSave, feedforward, virtualTokens, other);
            } catch (AdapterException e) {
                f.issues.addAll(e.issues());
            }
        }
        if (!f.issues.isEmpty()) {
            throw new AdapterException(source, f.issues);
        }
        return config;
    }

    /** The JSON PEFT would write for {@code c}: the method's full field set, {@code other} on top, keys sorted. */
    public static String write(PeftAdapterConfig c) {
        Map<String, Object> out = new TreeMap<>();
        out.put("peft_type", c.peftType());
        out.put("task_type", c.taskType());
        out.put("base_model_name_or_path", c.baseModelNameOrPath());
        out.put("auto_mapping", null);
        out.put("revision", null);
        out.put("inference_mode", true);
        switch (c.peftType()) {
            case "LORA" -> lora(c, out);
            case "IA3" -> {
                out.put("target_modules", targets(c.targets()));
                out.put("feedforward_modules", c.feedforwardModules());
                out.put("fan_in_fan_out", c.fanInFanOut());
                out.put("modules_to_save", c.modulesToSave().isEmpty() ? null : c.modulesToSave());
                out.put("init_ia3_weights", true);
            }
            case "BOTTLENECK_ADAPTER" -> {
                out.put("target_modules", targets(c.targets()));
                out.put("layers_to_transform", c.layersToTransform().isEmpty() ? null : c.layersToTransform());
            }
            default -> out.put("num_virtual_tokens", c.numVirtualTokens());
        }
        out.putAll(c.other());
        try {
            return JSON.writer(new PythonStyle()).writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write adapter config JSON", e);
        }
    }

    private static void lora(PeftAdapterConfig c, Map<String, Object> out) {
        out.put("r", c.r());
        out.put("lora_alpha", number(c.loraAlpha()));
        out.put("lora_dropout", c.loraDropout());
        out.put("target_modules", targets(c.targets()));
        out.put("fan_in_fan_out", c.fanInFanOut());
        out.put("use_rslora", c.useRslora());
        out.put("use_dora", c.useDora());
        out.put("rank_pattern", c.rankPattern());
        Map<String, Object> alphas = new LinkedHashMap<>();
        c.alphaPattern().forEach((k, v) -> alphas.put(k, number(v)));
        out.put("alpha_pattern", alphas);
        out.put("layers_to_transform", c.layersToTransform().isEmpty() ? null : c.layersToTransform());
        out.put("layers_pattern", null);
        String init = c.initLoraWeights();
        out.put("init_lora_weights", init.equals("true") || init.equals("false") ? Boolean.valueOf(init) : init);
        out.put("bias", c.bias());
        out.put("modules_to_save", c.modulesToSave().isEmpty() ? null : c.modulesToSave());
        out.put("loftq_config", Map.of());
        out.put("megatron_config", null);
        out.put("megatron_core", "megatron.core");
    }

    private static Object targets(PeftAdapterConfig.Targets t) {
        if (t.regex() != null) {
            return t.regex();
        }
        return t.modules().isEmpty() ? null : t.modules();
    }

    /** An integral value as a JSON integer (PEFT types alphas as int), else as a double. */
    private static Object number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v;
    }

    /** Python's {@code json.dumps(indent=2)}: {@code "key": value}, one item per line, {@code {}} and {@code []}. */
    private static final class PythonStyle extends DefaultPrettyPrinter {
        private static final long serialVersionUID = 1L;

        PythonStyle() {
            super(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
            _arrayIndenter = new DefaultIndenter("  ", "\n");
            _objectIndenter = new DefaultIndenter("  ", "\n");
        }

        PythonStyle(PythonStyle base) {
            super(base);
        }

        @Override
        public DefaultPrettyPrinter createInstance() {
            return new PythonStyle(this);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            if (entries > 0) {
                super.writeEndObject(g, entries);
                return;
            }
            --_nesting;
            g.writeRaw('}');
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            if (values > 0) {
                super.writeEndArray(g, values);
                return;
            }
            --_nesting;
            g.writeRaw(']');
        }
    }

    /** Typed reads of one JSON object, collecting problems. */
    private static final class Fields {
        final JsonNode root;
        final List<String> issues = new ArrayList<>();

        Fields(JsonNode root) {
            this.root = root;
        }

        private JsonNode get(String name) {
            JsonNode n = root.get(name);
            return n == null || n.isNull() ? null : n;
        }

        String string(String name, String fallback) {
            JsonNode n = get(name);
            if (n == null) {
                return fallback;
            }
            if (!n.isTextual()) {
                issues.add(name + ": expected a string, found " + n);
                return fallback;
            }
            return n.asText();
        }

        String scalarText(String name, String fallback) {
            JsonNode n = get(name);
            if (n == null) {
                return fallback;
            }
            if (!n.isValueNode()) {
                issues.add(name + ": expected true, false or a name, found " + n);
                return fallback;
            }
            return n.asText();
        }

        boolean bool(String name, boolean fallback) {
            JsonNode n = get(name);
            if (n == null) {
                return fallback;
            }
            if (!n.isBoolean()) {
                issues.add(name + ": expected true or false, found " + n);
                return fallback;
            }
            return n.asBoolean();
        }

        int integer(String name, int fallback) {
            JsonNode n = get(name);
            if (n == null) {
                return fallback;
            }
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                issues.add(name + ": expected an integer, found " + n);
                return fallback;
            }
            return n.asInt();
        }

        double number(String name, double fallback) {
            JsonNode n = get(name);
            if (n == null) {
                return fallback;
            }
            if (!n.isNumber()) {
                issues.add(name + ": expected a number, found " + n);
                return fallback;
            }
            return n.asDouble();
        }

        List<String> stringList(String name) {
            JsonNode n = get(name);
            List<String> out = new ArrayList<>();
            if (n == null) {
                return out;
            }
            if (!n.isArray()) {
                issues.add(name + ": expected a list of names, found " + n);
                return out;
            }
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    issues.add(name + ": expected names, found " + e);
                } else {
                    out.add(e.asText());
                }
            }
            return out;
        }

        PeftAdapterConfig.Targets targets() {
            JsonNode n = get("target_modules");
            if (n == null) {
                return PeftAdapterConfig.Targets.none();
            }
            if (n.isTextual()) {
                return PeftAdapterConfig.Targets.ofRegex(n.asText());
            }
            return PeftAdapterConfig.Targets.of(stringList("target_modules"));
        }

        List<Integer> intList(String name) {
            JsonNode n = get(name);
            List<Integer> out = new ArrayList<>();
            if (n == null) {
                return out;
            }
            if (n.isIntegralNumber()) {
                out.add(n.asInt());
                return out;
            }
            if (!n.isArray()) {
                issues.add(name + ": expected an integer or a list of integers, found " + n);
                return out;
            }
            for (JsonNode e : n) {
                if (!e.isIntegralNumber()) {
                    issues.add(name + ": expected integers, found " + e);
                } else {
                    out.add(e.asInt());
                }
            }
            return out;
        }

        Map<String, Integer> intMap(String name) {
            Map<String, Integer> out = new LinkedHashMap<>();
            JsonNode n = get(name);
            if (n == null) {
                return out;
            }
            if (!n.isObject()) {
                issues.add(name + ": expected an object of module pattern to integer, found " + n);
                return out;
            }
            n.fields().forEachRemaining(e -> {
                if (!e.getValue().isIntegralNumber()) {
                    issues.add(name + ": value of '" + e.getKey() + "' must be an integer, found " + e.getValue());
                } else {
                    out.put(e.getKey(), e.getValue().asInt());
                }
            });
            return out;
        }

        Map<String, Double> numberMap(String name) {
            Map<String, Double> out = new LinkedHashMap<>();
            JsonNode n = get(name);
            if (n == null) {
                return out;
            }
            if (!n.isObject()) {
                issues.add(name + ": expected an object of module pattern to number, found " + n);
                return out;
            }
            n.fields().forEachRemaining(e -> {
                if (!e.getValue().isNumber()) {
                    issues.add(name + ": value of '" + e.getKey() + "' must be a number, found " + e.getValue());
                } else {
                    out.put(e.getKey(), e.getValue().asDouble());
                }
            });
            return out;
        }
    }
}
