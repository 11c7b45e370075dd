package io.ortune.graph.peft;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ia3}: (IA)³ learned scaling vectors, initialised to ones, as PEFT's {@code IA3Model} places them. For a
 * target module that is not feed-forward the vector scales the module's <em>output</em>
 * ({@code y = W x · l}, PEFT shape {@code [out, 1]}); for a feed-forward module it scales the module's <em>input</em>
 * ({@code y = W (x · l)}, PEFT shape {@code [1, in]}). The vectors are stored in PEFT's shapes; an output vector is
 * read through a Reshape to {@code [out]}.
 *
 * <p>GPT-2's fused {@code c_attn} is scaled as a whole, as PEFT does: its vector has 3·hidden entries and also scales
 * the queries. With BERT's defaults, {@code output.dense} also matches {@code attention.output.dense} (PEFT's suffix
 * rule), so both are treated as feed-forward modules and their inputs are scaled, exactly as PEFT does.
 *
 * <p>Tensors are named {@code <module>.ia3_l.<adapter>} (PEFT's in-memory state-dict name); the adapter file key is
 * {@code base_model.model.<module>.ia3_l}. At initialisation the model computes bit-for-bit what the base computes
 * (every product is by exactly 1).
 */
public final class Ia3Pass implements InjectionPass {

    public static final String NAME = "ia3";

    private final Ia3Config config;

    public Ia3Pass(Ia3Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }


    /**
     * Copies {@code model} and injects the adapter into the copy.
     *
     * @throws IllegalArgumentException when no module matches, a feed-forward module is not a target, the adapter name
     *                                  is taken, or the architecture is unknown and no targets are given
     */
    public Injection inject(Model model) {
        InjectionRecords.requireNewAdapter(model, config.adapterName());
        Model m = GraphCopier.copy(model);
        LinearMatcher.Matches matches = LinearMatcher.find(m.graph());
        String targets = config.targetModules();
        String feedforward = config.feedforwardModules();
        if (targets == null) {
            ModelFamily family = ModelFamily.require(m, matches, "the IA3 target modules");
            targets = family.ia3Targets();
            feedforward = feedforward == null ? family.ia3Feedforward() : feedforward;
        } else if (feedforward == null) {
            feedforward = "";
        }
        TargetSpec targetSpec = TargetSpec.parse(targets);
        TargetSpec ffSpec = feedforward.isBlank() ? null : TargetSpec.parse(feedforward);
        if (ffSpec != null) {
            for (LinearSite s : matches.sites()) {
                if (ffSpec.matches(s.module()) && !targetSpec.matches(s.module())) {
                    throw new IllegalArgumentException("IA3 feed-forward modules " + feedforward + " must be a subset "
                            + "of the targets " + targets + " (as PEFT requires): '" + s.module() + "' is not a "
                            + "target");
                }
            }
        }
        TargetSpec.Selection sel = targetSpec.select(matches, config.layers());
        if (sel.selected().isEmpty()) {
            throw new IllegalArgumentException("IA3 --target " + targets + " matches no linear layer of graph '"
                    + m.graph().name() + "'" + (sel.skipped().isEmpty() ? "" : "; skipped: " + sel.skipped()));
        }
        GraphEdit edit = new GraphEdit(m);
        List<String> injected = new ArrayList<>();
        Map<String, String> tensors = new LinkedHashMap<>();
        for (LinearSite s : sel.selected()) {
            boolean ff = ffSpec != null && ffSpec.matches(s.module());
            String name = s.module() + ".ia3_l." + config.adapterName();
            edit.in(s.module(), () -> ff ? scaleInput(edit, s, name) : scaleOutput(edit, s, name));
            tensors.put(InjectionRecords.peftKey(s.module(), "ia3_l"), name);
            injected.add(String.format(Locale.ROOT, "%s: ia3 scales the %s (%d values)", s.module(),
                    ff ? "input" : "output", ff ? s.inFeatures() : s.outFeatures()));
        }
        edit.sort();
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("peft_type", PeftMethod.IA3.peftType());
        cfg.put("target_modules", targets);
        cfg.put("feedforward_modules", feedforward);
        cfg.put("fan_in_fan_out", Boolean.toString(sel.selected().get(0).fanInFanOut()));
        cfg.put("init_ia3_weights", "true");
        if (config.layers() != null) {
            cfg.put("layers_to_transform", config.layers().spec());
        }
        AdapterInfo info = new AdapterInfo(config.adapterName(), PeftMethod.IA3, cfg, tensors);
        return new Injection(m, InjectionRecords.finish(m, info, injected, sel.skipped()));
    }

    /** {@code y = W (x · l)} with l of PEFT shape [1, in]. */
    private static Value scaleInput(GraphEdit edit, LinearSite s, String name) {
        Value l = edit.initializer(name, AdapterTensors.filled(name, dtypeOf(s), new long[] {1, s.inFeatures()}, 1.0));
        Value scaled = edit.mul(s.input(), l);
        s.node().setInput(0, scaled);
        return scaled;
    }

    /** {@code y = (W x) · l} with l of PEFT shape [out, 1], read as [out]. */
    private static Value scaleOutput(GraphEdit edit, LinearSite s, String name) {
        Value l = edit.initializer(name, AdapterTensors.filled(name, dtypeOf(s), new long[] {s.outFeatures(), 1}, 1.0));
        Value y = s.output();
        Value scaled = edit.mul(y, edit.reshape(l, -1));
        edit.rerouteUses(y, scaled, scaled.producer());
        return scaled;
    }

    private static DataType dtypeOf(LinearSite s) {
        return s.weight().constant().dtype();
    }
}
