package io.ortune.graph.peft;

import io.ortune.graph.ir.Model;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Trainability and injected adapters, recorded in the model's {@code metadata_props} so that they survive save and
 * load and show in ordinary ONNX tools (Netron, {@code onnx.load(...).metadata_props}).
 *
 * <table>
 *   <caption>keys</caption>
 *   <tr><td>{@value #TRAINABLE}</td><td>comma-separated names of the initializers that train; every other
 *       parameter is frozen. Absent: the model records nothing (the trainer trains every parameter).</td></tr>
 *   <tr><td>{@value #ADAPTERS}</td><td>comma-separated adapter names, in injection order</td></tr>
 *   <tr><td>{@value #ACTIVE}</td><td>the active adapter</td></tr>
 *   <tr><td>{@code ortune.peft.<name>}</td><td>{@code method=lora;r=8;lora_alpha=16;...}</td></tr>
 *   <tr><td>{@code ortune.peft.<name>.tensors}</td><td>{@code <peft key>=<initializer>;...}</td></tr>
 * </table>
 * Values inside the {@code k=v;k=v} lists are URL-encoded (UTF-8), so any text survives.
 */
public final class PeftMetadata {

    public static final String TRAINABLE = "ortune.trainable";
    public static final String ADAPTERS = "ortune.peft.adapters";
    public static final String ACTIVE = "ortune.peft.active";
    public static final String PREFIX = "ortune.peft.";
    private static final String TENSORS = ".tensors";
    private static final String METHOD = "method";

    private PeftMetadata() {
    }

    /** The recorded trainable initializer names, if the model records any. */
    public static Optional<Set<String>> trainable(Model m) {
        String v = m.metadataProps().get(TRAINABLE);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(splitNames(v));
    }

    /** Records exactly {@code names} as the trainable set (empty: nothing trains). */
    public static void setTrainable(Model m, Collection<String> names) {
        for (String n : names) {
            checkName(n, "trainable tensor name");
        }
        m.metadataProps().put(TRAINABLE, String.join(",", new LinkedHashSet<>(names)));
    }

    /** Adds {@code names} to the recorded trainable set (creating it: the base is then frozen). */
    public static void addTrainable(Model m, Collection<String> names) {
        Set<String> all = new LinkedHashSet<>(trainable(m).orElse(Set.of()));
        all.addAll(names);
        setTrainable(m, all);
    }

    /** Removes the trainable record (every parameter trains again). */
    public static void clearTrainable(Model m) {
        m.metadataProps().remove(TRAINABLE);
    }

    /** The injected adapters, in injection order. */
    public static List<AdapterInfo> adapters(Model m) {
        String names = m.metadataProps().get(ADAPTERS);
        List<AdapterInfo> out = new ArrayList<>();
        if (names == null || names.isEmpty()) {
            return out;
        }
        for (String name : splitNames(names)) {
            out.add(adapter(m, name).orElseThrow(() -> new IllegalArgumentException("model metadata lists adapter '"
                    + name + "' in " + ADAPTERS + " but has no " + PREFIX + name + " entry")));
        }
        return out;
    }

    /** The adapter named {@code name}, if injected. */
    public static Optional<AdapterInfo> adapter(Model m, String name) {
        String cfg = m.metadataProps().get(PREFIX + name);
        if (cfg == null) {
            return Optional.empty();
        }
        Map<String, String> config = decodeMap(cfg, PREFIX + name);
        String method = config.remove(METHOD);
        if (method == null) {
            throw new IllegalArgumentException("model metadata " + PREFIX + name + " has no method=");
        }
        Map<String, String> tensors = decodeMap(m.metadataProps().getOrDefault(PREFIX + name + TENSORS, ""),
                PREFIX + name + TENSORS);
        return Optional.of(new AdapterInfo(name, PeftMethod.parse(method), config, tensors));
    }

    /** Records {@code a} (replacing an adapter of the same name) and appends it to the adapter list. */
    public static void putAdapter(Model m, AdapterInfo a) {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put(METHOD, a.method().cliName());
        cfg.putAll(a.config());
        m.metadataProps().put(PREFIX + a.name(), encodeMap(cfg));
        m.metadataProps().put(PREFIX + a.name() + TENSORS, encodeMap(a.tensors()));
        Set<String> names = new LinkedHashSet<>(splitNames(m.metadataProps().getOrDefault(ADAPTERS, "")));
        names.add(a.name());
        m.metadataProps().put(ADAPTERS, String.join(",", names));
        m.metadataProps().putIfAbsent(ACTIVE, a.name());
    }

    /** Forgets adapter {@code name} (its tensors are the caller's business); the active one moves to the first left. */
    public static void removeAdapter(Model m, String name) {
        m.metadataProps().remove(PREFIX + name);
        m.metadataProps().remove(PREFIX + name + TENSORS);
        Set<String> names = new LinkedHashSet<>(splitNames(m.metadataProps().getOrDefault(ADAPTERS, "")));
        names.remove(name);
        if (names.isEmpty()) {
            m.metadataProps().remove(ADAPTERS);
            m.metadataProps().remove(ACTIVE);
        } else {
            m.metadataProps().put(ADAPTERS, String.join(",", names));
            if (name.equals(m.metadataProps().get(ACTIVE))) {
                m.metadataProps().put(ACTIVE, names.iterator().next());
            }
        }
    }

    /** The active adapter's name, if any adapter is injected. */
    public static Optional<String> active(Model m) {
        return Optional.ofNullable(m.metadataProps().get(ACTIVE));
    }

    /**
     * The active adapters: the names in {@value #ACTIVE}, which holds one name or, when several adapters are on at
     * once (a second one injected, or a weighted mix), a comma-separated list.
     */
    public static List<String> activeAdapters(Model m) {
        return List.copyOf(splitNames(m.metadataProps().getOrDefault(ACTIVE, "")));
    }

    /** Records {@code names} (adapters of the model) as active; none removes the record. */
    public static void setActiveAdapters(Model m, Collection<String> names) {
        for (String n : names) {
            if (adapter(m, n).isEmpty()) {
                throw new IllegalArgumentException("no adapter named '" + n + "'; the model has "
                        + adapters(m).stream().map(AdapterInfo::name).toList());
            }
        }
        if (names.isEmpty()) {
            m.metadataProps().remove(ACTIVE);
        } else {
            m.metadataProps().put(ACTIVE, String.join(",", new LinkedHashSet<>(names)));
        }
    }

    public static void setActive(Model m, String name) {
        if (adapter(m, name).isEmpty()) {
            throw new IllegalArgumentException("no adapter named '" + name + "'; the model has "
                    + adapters(m).stream().map(AdapterInfo::name).toList());
        }
        m.metadataProps().put(ACTIVE, name);
    }

    /** Removes every PEFT and trainability key (a merged model is a plain model again). */
    public static void clearAll(Model m) {
        m.metadataProps().keySet().removeIf(k -> k.startsWith(PREFIX) || k.equals(TRAINABLE));
    }

    static void checkName(String n, String what) {
        if (n == null || n.isEmpty() || n.contains(",")) {
            throw new IllegalArgumentException(what + " '" + n + "' must be non-empty and contain no comma");
        }
    }

    private static Set<String> splitNames(String v) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : v.split(",")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    static String encodeMap(Map<String, String> map) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(enc(e.getKey())).append('=').append(enc(e.getValue()));
        }
        return sb.toString();
    }

    static Map<String, String> decodeMap(String s, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s.isEmpty()) {
            return out;
        }
        for (String part : s.split(";")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("model metadata " + key + ": entry '" + part + "' is not key=value");
            }
            out.put(dec(part.substring(0, eq)), dec(part.substring(eq + 1)));
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Joins names for a config value ({@code q_proj,v_proj}). */
    public static String joinList(Collection<String> items) {
        return String.join(",", items);
    }

    /** Splits a config list value. */
    public static List<String> splitList(String v) {
        return v == null || v.isEmpty() ? List.of() : Arrays.asList(v.split(","));
    }
}
