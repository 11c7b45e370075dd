package io.ortune.graph.peft;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A {@link LoraConfig} as the PEFT-keyed strings recorded in {@link AdapterInfo#config()}: {@code r},
 * {@code lora_alpha}, {@code lora_dropout}, {@code use_rslora}, {@code use_dora}, {@code init_lora_weights},
 * {@code target_modules}, {@code layers_to_transform}, {@code fan_in_fan_out}, {@code rank_pattern},
 * {@code alpha_pattern}, and {@code ortune.seed}.
 *
 * <p>Compact forms: lists are comma-joined ({@code q_proj,v_proj}; {@code 0,1,2}); patterns are
 * {@code key=value} pairs joined by commas, with {@code %}, {@code ,} and {@code =} in keys written {@code %25},
 * {@code %2C}, {@code %3D} ({@link #decodePattern} reads them back). {@code target_modules} is the list as given,
 * the injected modules' leaf names for {@code all-linear} (what PEFT stores after expanding it), or
 * {@code re:REGEX} for a regular expression (PEFT stores the bare string). {@code fan_in_fan_out} is {@code true}
 * when every injected module stores its weight [in, out] (GPT-2's Conv1D).
 */
public final class PeftConfigs {

    private PeftConfigs() {
    }

    static Map<String, String> of(LoraConfig cfg, List<LinearSite> sites) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("r", Integer.toString(cfg.r()));
        m.put("lora_alpha", num(cfg.alpha()));
        m.put("lora_dropout", num(cfg.dropout()));
        m.put("use_rslora", Boolean.toString(cfg.rslora()));
        m.put("use_dora", Boolean.toString(cfg.useDora()));
        m.put("init_lora_weights", cfg.init().peftValue());
        TargetSpec t = cfg.targets();
        String targets;
        if (t.isAllLinear()) {
            targets = String.join(",", sites.stream().map(LinearSite::leaf).collect(Collectors.toCollection(
                    TreeSet::new)));
        } else if (t.isRegex()) {
            targets = t.toString();
        } else {
            targets = String.join(",", t.suffixes());
        }
        m.put("target_modules", targets);
        if (cfg.layers() != null) {
            m.put("layers_to_transform", cfg.layers().indices().stream().map(String::valueOf)
                    .collect(Collectors.joining(",")));
        }
        m.put("fan_in_fan_out", Boolean.toString(sites.stream().allMatch(LinearSite::fanInFanOut)));
        m.put("rank_pattern", encodePattern(cfg.rankPattern()));
        m.put("alpha_pattern", encodePattern(cfg.alphaPattern()));
        m.put("ortune.seed", Long.toString(cfg.seed()));
        return m;
    }

    /** {@code 16} for integral values, else the shortest decimal ({@code 0.05}). */
    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** {@code key=value,key=value}. */
    public static String encodePattern(Map<String, ? extends Number> pattern) {
        return pattern.entrySet().stream().map(e -> escape(e.getKey()) + "=" + (e.getValue() instanceof Double d
                ? num(d) : e.getValue().toString())).collect(Collectors.joining(","));
    }

    /** The pairs of an {@link #encodePattern} string, in order, values as text. */
    public static Map<String, String> decodePattern(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) {
            return out;
        }
        for (String part : s.split(",")) {
            int eq = part.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("pattern entry '" + part + "' in '" + s + "' is not key=value");
            }
            out.put(unescape(part.substring(0, eq)), part.substring(eq + 1));
        }
        return out;
    }

    private static String escape(String k) {
        return k.replace("%", "%25").replace(",", "%2C").replace("=", "%3D");
    }

    private static String unescape(String k) {
        return k.replace("%3D", "=").replace("%2C", ",").replace("%25", "%");
    }
}
