package io.ortune.graph.peft;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which linear modules a PEFT method targets, with PEFT's semantics: a comma list of module-name suffixes matched on
 * dotted component boundaries ({@code q_proj,v_proj}; {@code c_proj} matches both {@code attn.c_proj} and
 * {@code mlp.c_proj}), {@code re:REGEX} matched against the whole module path, or {@code all-linear} (every linear
 * layer except the output head).
 */
public final class TargetSpec {

    /** The CLI spelling of "every linear layer but the head". */
    public static final String ALL_LINEAR = "all-linear";
    /** The prefix of a regular-expression target. */
    public static final String REGEX_PREFIX = "re:";

    /**
     * The outcome of selecting sites.
     *
     * @param selected sites to rewrite, in graph order
     * @param skipped  sites that matched the spec but are left alone, with reasons
     */
    public record Selection(List<LinearSite> selected, List<SkippedCandidate> skipped) {
        public Selection {
            selected = List.copyOf(selected);
            skipped = List.copyOf(skipped);
        }
    }

    private final String spec;
    private final List<String> suffixes;
    private final Pattern regex;
    private final boolean allLinear;

    private TargetSpec(String spec, List<String> suffixes, Pattern regex, boolean allLinear) {
        this.spec = spec;
        this.suffixes = suffixes;
        this.regex = regex;
        this.allLinear = allLinear;
    }

    /**
     * Parses a target spec.
     *
     * @throws IllegalArgumentException for an empty spec, an empty list entry or a bad regular expression (the
     *                                  message names the spec)
     */
    public static TargetSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty --target: give module names (q_proj,v_proj), re:REGEX or "
                    + ALL_LINEAR);
        }
        String s = spec.trim();
        if (s.equals(ALL_LINEAR)) {
            return new TargetSpec(s, List.of(), null, true);
        }
        if (s.startsWith(REGEX_PREFIX)) {
            try {
                return new TargetSpec(s, List.of(), Pattern.compile(s.substring(REGEX_PREFIX.length())), false);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("--target " + s + ": not a valid regular expression: "
                        + e.getDescription() + " near index " + e.getIndex(), e);
            }
        }
        Set<String> names = new LinkedHashSet<>();
        for (String part : s.split(",", -1)) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("--target " + s + ": empty module name in the list");
            }
            names.add(p);
        }
        return new TargetSpec(s, List.copyOf(names), null, false);
    }

    /** A suffix spec from a list (PEFT's {@code target_modules} as a list). */
    public static TargetSpec ofModules(List<String> modules) {
        return parse(String.join(",", modules));
    }

    /** Whether this spec names {@code module} (the head is excluded later, by {@link #select}). */
    public boolean matches(String module) {
        if (allLinear) {
            return true;
        }
        if (regex != null) {
            return regex.matcher(module).matches();
        }
        for (String k : suffixes) {
            if (ModulePaths.endsWithModule(module, k)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Selects from {@code matches}: the sites this spec names, within {@code layers} when given. The output head
     * is skipped under {@code all-linear} (as PEFT does) and, when tied to the embedding, always (a LoRA on it would
     * also train the embedding's table through the shared weight).
     */
    public Selection select(LinearMatcher.Matches matches, LayerRange layers) {
        List<LinearSite> selected = new ArrayList<>();
        List<SkippedCandidate> skipped = new ArrayList<>();
        for (LinearSite s : matches.sites()) {
            if (!matches(s.module())) {
                continue;
            }
            String why = null;
            if (s.outputHead() && allLinear) {
                why = "output head (all-linear leaves it out, as PEFT does)";
            } else if (s.tiedToEmbedding()) {
                why = "weight '" + s.weight().name() + "' is tied to the embedding";
            } else if (layers != null && !layers.contains(s.layer())) {
                why = s.layer().isPresent() ? "layer " + s.layer().getAsInt() + " is not in --layers " + layers
                        : "not inside a numbered layer (--layers " + layers + ")";
            }
            if (why == null) {
                selected.add(s);
            } else {
                skipped.add(new SkippedCandidate(s.module(), s.node().name(), why));
            }
        }
        for (SkippedCandidate c : matches.skipped()) {
            if (matches(c.module())) {
                skipped.add(c);
            }
        }
        return new Selection(selected, skipped);
    }

    /** Suffixes of a list spec (empty for regex and all-linear). */
    public List<String> suffixes() {
        return suffixes;
    }

    public boolean isAllLinear() {
        return allLinear;
    }

    public boolean isRegex() {
        return regex != null;
    }

    @Override
    public String toString() {
        return spec;
    }
}
