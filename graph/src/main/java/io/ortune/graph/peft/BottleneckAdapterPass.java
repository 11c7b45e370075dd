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
import java.util.SplittableRandom;

/**
 * {@code adapter}: bottleneck adapters (Houlsby et al. 2019, Pfeiffer et al. 2020, as AdapterHub places them):
 * {@code h + up(act(down(h)))} on the output {@code h} of a sublayer's output projection, before the residual Add.
 * Houlsby puts one after the attention output projection and one after the feed-forward output projection;
 * Pfeiffer only the latter.
 *
 * <p>This is <b>not a Python PEFT method</b>: the adapter is recorded with {@code peft_type}
 * {@code BOTTLENECK_ADAPTER}, which PEFT does not load. Tensors follow PyTorch {@code nn.Linear}: {@code down}
 * {@code [bottleneck, hidden]} with bias (normal(0, 0.02) from the seed, bias 0, AdapterHub's "bert" init), {@code up}
 * {@code [hidden, bottleneck]} and its bias zero, so at initialisation the model computes bit-for-bit what the base
 * computes ({@code h + 0}). Names: {@code <module>.adapter_down.<adapter>.weight} (and {@code .bias},
 * {@code adapter_up}), where {@code <module>} is the output projection; file keys
 * {@code base_model.model.<module>.adapter_down.weight}.
 */
public final class BottleneckAdapterPass implements InjectionPass {

    public static final String NAME = "adapter";
    /** Standard deviation of the down projection's initial weights (BERT's initializer range). */
    public static final double INIT_STD = 0.02;

    private final BottleneckAdapterConfig config;

    public BottleneckAdapterPass(BottleneckAdapterConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }


    /**
     * Copies {@code model} and inserts the adapters into the copy.
     *
     * @throws IllegalArgumentException when no projection matches, the adapter name is taken, or the architecture is
     *                                  unknown and no projections are given
     */
    public Injection inject(Model model) {
        InjectionRecords.requireNewAdapter(model, config.adapterName());
        Model m = GraphCopier.copy(model);
        LinearMatcher.Matches matches = LinearMatcher.find(m.graph());
        boolean houlsby = config.style() == BottleneckAdapterConfig.Style.HOULSBY;
        String ffn = config.ffnOutputs();
        String attn = config.attentionOutputs();
        if (ffn == null || (houlsby && attn == null)) {
            ModelFamily family = ModelFamily.require(m, matches, "the output projections");
            ffn = ffn == null ? family.ffnOutput() : ffn;
            attn = attn == null ? family.attentionOutput() : attn;
        }
        List<LinearSite> sites = new ArrayList<>();
        List<SkippedCandidate> skipped = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        if (houlsby) {
            collect(TargetSpec.parse(attn).select(matches, config.layers()), sites, skipped);
            targets.add(attn);
        }
        collect(TargetSpec.parse(ffn).select(matches, config.layers()), sites, skipped);
        targets.add(ffn);
        if (sites.isEmpty()) {
            throw new IllegalArgumentException("bottleneck adapter: the projections " + targets + " match no linear "
                    + "layer of graph '" + m.graph().name() + "'" + (skipped.isEmpty() ? "" : "; skipped: " + skipped));
        }
        GraphEdit edit = new GraphEdit(m);
        SplittableRandom rnd = new SplittableRandom(config.seed());
        Map<String, String> tensors = new LinkedHashMap<>();
        List<String> injected = new ArrayList<>();
        for (LinearSite s : sites) {
            long hidden = s.outFeatures();
            long bottleneck = Math.max(1, hidden / config.reductionFactor());
            edit.in(s.module(), () -> insert(edit, s, bottleneck, rnd, tensors));
            injected.add(String.format(Locale.ROOT, "%s: bottleneck adapter %d -> %d -> %d (%s)", s.module(), hidden,
                    bottleneck, hidden, config.activation().adapterHubName()));
        }
        edit.sort();
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("peft_type", PeftMethod.ADAPTER.peftType());
        cfg.put("style", config.style().name().toLowerCase(Locale.ROOT));
        cfg.put("mh_adapter", Boolean.toString(houlsby));
        cfg.put("output_adapter", "true");
        cfg.put("reduction_factor", Integer.toString(config.reductionFactor()));
        cfg.put("non_linearity", config.activation().adapterHubName());
        cfg.put("residual_before_ln", "true");
        cfg.put("target_modules", String.join(",", targets));
        cfg.put("seed", Long.toString(config.seed()));
        if (config.layers() != null) {
            cfg.put("layers_to_transform", config.layers().spec());
        }
        AdapterInfo info = new AdapterInfo(config.adapterName(), PeftMethod.ADAPTER, cfg, tensors);
        return new Injection(m, InjectionRecords.finish(m, info, injected, skipped));
    }

    private static void collect(TargetSpec.Selection sel, List<LinearSite> sites, List<SkippedCandidate> skipped) {
        for (LinearSite s : sel.selected()) {
            if (!sites.contains(s)) {
                sites.add(s);
            }
        }
        skipped.addAll(sel.skipped());
    }

    private Value insert(GraphEdit edit, LinearSite s, long bottleneck, SplittableRandom rnd,
                         Map<String, String> tensors) {
        DataType dt = s.weight().constant().dtype();
        long hidden = s.outFeatures();
        String a = config.adapterName();
        String dw = s.module() + ".adapter_down." + a + ".weight";
        String db = s.module() + ".adapter_down." + a + ".bias";
        String uw = s.module() + ".adapter_up." + a + ".weight";
        String ub = s.module() + ".adapter_up." + a + ".bias";
        Value downW = edit.initializer(dw, AdapterTensors.normal(dw, dt, new long[] {bottleneck, hidden}, INIT_STD, rnd));
        Value downB = edit.initializer(db, AdapterTensors.filled(db, dt, new long[] {bottleneck}, 0));
        Value upW = edit.initializer(uw, AdapterTensors.filled(uw, dt, new long[] {hidden, bottleneck}, 0));
        Value upB = edit.initializer(ub, AdapterTensors.filled(ub, dt, new long[] {hidden}, 0));
        tensors.put(InjectionRecords.peftKey(s.module(), "adapter_down.weight"), dw);
        tensors.put(InjectionRecords.peftKey(s.module(), "adapter_down.bias"), db);
        tensors.put(InjectionRecords.peftKey(s.module(), "adapter_up.weight"), uw);
        tensors.put(InjectionRecords.peftKey(s.module(), "adapter_up.bias"), ub);

        Value h = s.output();
        Value first = edit.matMul(h, edit.transpose(downW, 1, 0));
        Value down = edit.add(first, downB);
        Value act = edit.in("adapter_act", () -> activation(edit, down, dt));
        Value up = edit.add(edit.matMul(act, edit.transpose(upW, 1, 0)), upB);
        Value out = edit.add(h, up);
        edit.rerouteUses(h, out, first.producer(), out.producer());
        return out;
    }

    private Value activation(GraphEdit edit, Value x, DataType dt) {
        switch (config.activation()) {
            case RELU:
                return edit.op("Relu", List.of(x));
            case SILU:
                return edit.mul(x, edit.op("Sigmoid", List.of(x)));
            case GELU:
                // The exact (erf) GELU as a formula: the Gelu op needs opset 20.
                Value erf = edit.op("Erf", List.of(edit.mul(x, edit.scalar(dt, 1 / Math.sqrt(2)))));
                return edit.mul(edit.mul(x, edit.scalar(dt, 0.5)), edit.add(erf, edit.scalar(dt, 1)));
            default:
                throw new IllegalStateException("activation " + config.activation());
        }
    }
}
