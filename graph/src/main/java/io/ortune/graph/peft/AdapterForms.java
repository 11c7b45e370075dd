package io.ortune.graph.peft;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Carries adapters (LoRA, DoRA, IA3, bottleneck, prefix; prompt tuning is refused, its pass does not take the KV-cache
 * form) from one graph form of a base model to another built from the same weights (the
 * training form an adapter was trained in, the KV-cache form generation runs), without merging:
 *
 * <pre>{@code
 * Model base = AdapterForms.baseWeights(trained);                       // adapter tensors left out
 * Model decode = AdapterForms.transfer(trained, ModelForms.toKvCache(base));
 * }</pre>
 *
 * Each adapter is injected again into the target on exactly the modules it has, with the same per-module ranks,
 * dropout and method, then every initializer the two models share by name is copied from the source (A, B,
 * magnitudes, scalings, gates, and base weights PiSSA/OLoRA rewrote); the adapter records, trainable set, active
 * list and gate weights are copied too.
 */
public final class AdapterForms {

    private static final String PEFT_PREFIX = "base_model.model.";

    private AdapterForms() {
    }

    /**
     * A model holding only {@code adapted}'s base initializers (no nodes) and its metadata without PEFT keys: what
     * a form rebuilder that reads weights by name needs.
     */
    public static Model baseWeights(Model adapted) {
        Set<String> owned = adapterTensors(adapted);
        Graph g = new Graph(adapted.graph().name());
        for (Value v : adapted.graph().initializers().values()) {
            if (!owned.contains(v.name())) {
                g.addInitializer(v.constant());
            }
        }
        Model out = new Model(g);
        out.setIrVersion(adapted.irVersion());
        out.opsetImports().putAll(adapted.opsetImports());
        out.setProducerName(adapted.producerName());
        out.metadataProps().putAll(adapted.metadataProps());
        PeftMetadata.clearAll(out);
        return out;
    }

    /**
     * {@code target} (not changed) with {@code source}'s adapters, values and records.
     *
     * @throws IllegalArgumentException when {@code source} has no adapter, or one the target form cannot take
     *                                  (prompt tuning into a KV-cache form), naming the adapter
     */
    public static Model transfer(Model source, Model target) {
        Model out = target;
        List<AdapterInfo> adapters = PeftMetadata.adapters(source);
        if (adapters.isEmpty()) {
            throw new IllegalArgumentException("model '" + source.graph().name() + "' has no adapter to transfer");
        }
        for (AdapterInfo a : adapters) {
            try {
                out = reinject(source, a, out);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("adapter '" + a.name() + "' (" + a.method().cliName()
                        + ") cannot be carried to graph '" + target.graph().name() + "': " + e.getMessage(), e);
            }
        }
        Graph from = source.graph();
        Graph to = out.graph();
        for (Value v : to.initializers().values()) {
            Value src = from.initializer(v.name());
            if (src != null) {
                to.setInitializerTensor(v, src.constant());
            }
        }
        for (AdapterInfo a : adapters) {
            PeftMetadata.putAdapter(out, a);
        }
        for (String key : List.of(PeftMetadata.TRAINABLE, PeftMetadata.ACTIVE, AdapterSwitch.WEIGHTS)) {
            String v = source.metadataProps().get(key);
            if (v == null) {
                out.metadataProps().remove(key);
            } else {
                out.metadataProps().put(key, v);
            }
        }
        return out;
    }

    /** {@code a} injected into {@code into} on the same modules with the same shapes (values are copied after). */
    private static Model reinject(Model source, AdapterInfo a, Model into) {
        return switch (a.method()) {
            case LORA, DORA -> new LoraPass(reinjection(source, a)).inject(into).model();
            case IA3 -> {
                List<String> modules = modules(a, ".ia3_l");
                String ff = a.get("feedforward_modules", "");
                TargetSpec ffSpec = ff.isBlank() ? null : TargetSpec.parse(ff);
                List<String> scaledInputs = ffSpec == null ? List.of()
                        : modules.stream().filter(ffSpec::matches).toList();
                yield new Ia3Pass(new Ia3Config(a.name(), exactly(modules), scaledInputs.isEmpty() ? ""
                        : exactly(scaledInputs), null)).inject(into).model();
            }
            case ADAPTER -> new BottleneckAdapterPass(new BottleneckAdapterConfig(a.name(),
                    BottleneckAdapterConfig.Style.PFEIFFER, Integer.parseInt(a.get("reduction_factor", "16")),
                    BottleneckAdapterConfig.Activation.parse(a.get("non_linearity", "relu")), null,
                    exactly(modules(a, ".adapter_down.weight")), null, 0)).inject(into).model();
            case PREFIX -> {
                PrefixTuningConfig c = PrefixTuningConfig.of(Integer.parseInt(a.get("num_virtual_tokens", "0")))
                        .withAdapterName(a.name());
                if (Boolean.parseBoolean(a.get("prefix_projection", "false"))) {
                    c = c.withReparameterization(Integer.parseInt(a.get("encoder_hidden_size", "0")));
                }
                yield new PrefixTuningPass(c).inject(into).model();
            }
            case PROMPT -> new PromptTuningPass(PromptTuningConfig.random(Integer.parseInt(
                    a.get("num_virtual_tokens", "0"))).withAdapterName(a.name())).inject(into).model();
        };
    }

    /** The modules of {@code a}'s PEFT keys {@code base_model.model.<module><suffix>}, in record order. */
    private static List<String> modules(AdapterInfo a, String suffix) {
        List<String> out = new ArrayList<>();
        for (String key : a.tensors().keySet()) {
            if (key.startsWith(PEFT_PREFIX) && key.endsWith(suffix)) {
                out.add(key.substring(PEFT_PREFIX.length(), key.length() - suffix.length()));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("adapter '" + a.name() + "' records no tensor key ending in '"
                    + suffix + "'");
        }
        return out;
    }

    /** A target spec matching exactly {@code modules}. */
    private static String exactly(List<String> modules) {
        StringBuilder re = new StringBuilder(TargetSpec.REGEX_PREFIX);
        for (int i = 0; i < modules.size(); i++) {
            re.append(i == 0 ? "" : "|").append(Pattern.quote(modules.get(i)));
        }
        return re.toString();
    }

    /** A config that injects exactly {@code a}'s modules with their ranks (values are copied afterwards). */
    private static LoraConfig reinjection(Model source, AdapterInfo a) {
        List<String> modules = new ArrayList<>();
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : a.tensors().entrySet()) {
            String key = e.getKey();
            if (!key.endsWith(".lora_A.weight")) {
                continue;
            }
            String module = key.substring("base_model.model.".length(), key.length() - ".lora_A.weight".length());
            Value t = source.graph().initializer(e.getValue());
            if (t == null) {
                throw new IllegalArgumentException("adapter '" + a.name() + "' records tensor '" + e.getValue()
                        + "', which model '" + source.graph().name() + "' does not have");
            }
            modules.add(module);
            ranks.put(Pattern.quote(module), Math.toIntExact(t.constant().dims()[0]));
        }
        StringBuilder re = new StringBuilder(TargetSpec.REGEX_PREFIX);
        for (int i = 0; i < modules.size(); i++) {
            re.append(i == 0 ? "" : "|").append(Pattern.quote(modules.get(i)));
        }
        double alpha = Double.parseDouble(a.get("lora_alpha", "8"));
        double dropout = Double.parseDouble(a.get("lora_dropout", "0"));
        return LoraConfig.of(re.toString()).withAlpha(alpha).withDropout(dropout).withRankPattern(ranks)
                .withAdapterName(a.name()).withDora(a.method() == PeftMethod.DORA)
                .withRslora(Boolean.parseBoolean(a.get("use_rslora", "false")));
    }

    /**
     * Every initializer an adapter owns: its recorded tensors, per-module LoRA scalings, its gate, and everything
     * under its {@code prompt_encoder.<name>.} scope (the prompt and prefix attention-mask rows).
     */
    static Set<String> adapterTensors(Model m) {
        Set<String> owned = new HashSet<>();
        for (AdapterInfo a : PeftMetadata.adapters(m)) {
            owned.addAll(a.tensors().values());
            owned.add(AdapterSwitch.gateName(a.name()));
            String scope = "prompt_encoder." + a.name() + ".";
            for (String init : m.graph().initializers().keySet()) {
                if (init.startsWith(scope)) {
                    owned.add(init);
                }
            }
            for (String key : a.tensors().keySet()) {
                if (key.endsWith(".lora_A.weight")) {
                    String module = key.substring("base_model.model.".length(), key.length()
                            - ".lora_A.weight".length());
                    owned.add(module + ".lora_scaling." + a.name());
                }
            }
        }
        return owned;
    }
}
