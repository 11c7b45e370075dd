package io.ortune.graph.peft;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.analysis.TopologicalSort;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The part LoRA and DoRA share: select sites, check them, create A, B and the scaling per site and one gate per
 * adapter, let a {@link SiteEmitter} build the site's contribution, add it after the site's output, record
 * trainability and the adapter in the metadata, and report.
 */
final class AdapterInjector {

    /** Builds one site's contribution, the value added to {@code site.output()}. */
    interface SiteEmitter {
        Value emit(Site c);
    }

    /**
     * One site being rewritten.
     *
     * @param scaling   the scalar initializer holding PEFT's scaling of this module
     * @param gate      the adapter's gate (1 active, 0 off, a weight when mixed), in the site's dtype
     * @param trainable names of new trainable initializers (the emitter may add some)
     * @param tensors   PEFT state-dict key to initializer (the emitter may add some)
     */
    record Site(GraphBuilder b, LinearSite site, LoraConfig config, int rank, double scale, Value a, Value bw,
                Value scaling, Value gate, List<String> trainable, Map<String, String> tensors) {

        String module() {
            return site.module();
        }

        /** Runs {@code body} in the adapter's module scope {@code <module>.<part>.<adapter>}. */
        <T> T in(String part, java.util.function.Supplier<T> body) {
            return b.scoped(site.module() + "." + part + "." + config.adapterName(), body);
        }

        /** The adapter's input: the layer's input, through a training-only Dropout when dropout is set. */
        Value input() {
            Value x = site.input();
            if (config.dropout() == 0) {
                return x;
            }
            return in("lora_dropout", () -> {
                Value ratio = b.constant(LoraFactors.tensor("ratio", site.weight().dtype(), new long[0],
                        new double[] {config.dropout()}));
                Value mode = b.constant(Tensor.ofBooleans("training_mode", new long[0], true));
                Value y = b.op("", "Dropout", List.of(x, ratio, mode));
                NodeMarks.markTrainingOnly(y.producer());
                return y;
            });
        }

        /** {@code MatMul(MatMul(x', Aᵀ), Bᵀ)}, without the scaling. */
        Value loraProduct(Value x) {
            Value h = in("lora_A", () -> b.matMul(x, b.transpose(a, 1, 0)));
            return in("lora_B", () -> b.matMul(h, b.transpose(bw, 1, 0)));
        }
    }

    private AdapterInjector() {
    }

    static Injection inject(Model model, LoraConfig cfg, PeftMethod method, SiteEmitter emitter) {
        String adapter = cfg.adapterName();
        String gateName = AdapterSwitch.gateName(adapter);
        if (PeftMetadata.adapter(model, adapter).isPresent() || model.graph().initializer(gateName) != null) {
            throw new IllegalArgumentException("the model already has an adapter named '" + adapter + "' (adapters: "
                    + PeftMetadata.adapters(model).stream().map(AdapterInfo::name).toList()
                    + "); give the new one another name");
        }
        Model copy = GraphCopier.copy(model);
        Graph g = copy.graph();
        TargetSpec.Selection sel = cfg.targets().select(baseSites(copy), cfg.layers());
        List<SkippedCandidate> skipped = new ArrayList<>(sel.skipped());
        List<LinearSite> sites = new ArrayList<>();
        for (LinearSite s : sel.selected()) {
            String why = unusable(s, cfg);
            if (why == null) {
                sites.add(s);
            } else {
                skipped.add(new SkippedCandidate(s.module(), s.node().name(), why));
            }
        }
        if (sites.isEmpty()) {
            throw nothingSelected(copy, cfg, skipped);
        }
        GraphBuilder b = GraphBuilder.on(copy);
        DataType gateType = sites.get(0).weight().dtype();
        Value gate = b.initializer(gateName, LoraFactors.tensor(gateName, gateType, new long[0], new double[] {1}));
        Map<DataType, Value> gates = new EnumMap<>(DataType.class);
        gates.put(gateType, gate);
        List<String> trainable = new ArrayList<>();
        Map<String, String> tensors = new LinkedHashMap<>();
        List<String> injected = new ArrayList<>();
        for (LinearSite s : sites) {
            DataType dt = s.weight().dtype();
            Value siteGate = gates.computeIfAbsent(dt, t -> b.scoped("lora_gate." + adapter, () -> b.cast(gate, t)));
            injected.add(rewrite(b, g, s, cfg, method, siteGate, emitter, trainable, tensors));
        }
        TopologicalSort.sort(g);
        PeftMetadata.addTrainable(copy, trainable);
        List<String> active = new ArrayList<>(PeftMetadata.activeAdapters(model));
        PeftMetadata.putAdapter(copy, new AdapterInfo(adapter, method, PeftConfigs.of(cfg, sites), tensors));
        active.add(adapter);
        PeftMetadata.setActiveAdapters(copy, active);
        AdapterSwitch.recordNewGate(copy, adapter);
        long trainableCount = 0;
        for (String t : trainable) {
            trainableCount += g.initializer(t).constant().elementCount();
        }
        return new Injection(copy, new InjectionReport(method, adapter, injected, skipped, trainableCount,
                floatParameters(g)));
    }

    private static String rewrite(GraphBuilder b, Graph g, LinearSite s, LoraConfig cfg, PeftMethod method,
                                  Value gate, SiteEmitter emitter, List<String> trainable, Map<String, String> tensors) {
        String module = s.module();
        String adapter = cfg.adapterName();
        int r = cfg.rankFor(module);
        double scale = cfg.scalingFor(module);
        int out = Math.toIntExact(s.outFeatures());
        int in = Math.toIntExact(s.inFeatures());
        DataType dt = s.weight().dtype();
        double[] w = LoraFactors.outIn(LoraFactors.values(s.weight().constant()), s.layout(), out, in);
        Random rnd = new Random(cfg.seed() * 1_000_003L + module.hashCode());
        LoraFactors f = LoraFactors.init(cfg.init(), w, out, in, r, scale, rnd);
        if (f.residual() != null) {
            g.setInitializerTensor(s.weight(), LoraFactors.tensor(s.weight().name(), dt, s.weight().constant().dims(),
                    LoraFactors.stored(f.residual(), s.layout(), out, in)));
        }
        String aName = module + ".lora_A." + adapter + ".weight";
        String bName = module + ".lora_B." + adapter + ".weight";
        String sName = module + ".lora_scaling." + adapter;
        Value a = b.initializer(aName, LoraFactors.tensor(aName, dt, new long[] {r, in}, f.a()));
        Value bw = b.initializer(bName, LoraFactors.tensor(bName, dt, new long[] {out, r}, f.b()));
        Value scaling = b.initializer(sName, LoraFactors.tensor(sName, dt, new long[0], new double[] {scale}));
        trainable.add(aName);
        trainable.add(bName);
        tensors.put("base_model.model." + module + ".lora_A.weight", aName);
        tensors.put("base_model.model." + module + ".lora_B.weight", bName);
        Site c = new Site(b, s, cfg, r, scale, a, bw, scaling, gate, trainable, tensors);
        Value y = s.output();
        List<Value.Use> uses = List.copyOf(y.uses());
        Value delta = emitter.emit(c);
        Value sum = c.in("lora", () -> b.add(y, delta));
        for (Value.Use u : uses) {
            u.node().setInput(u.inputIndex(), sum);
        }
        int outIndex = g.outputs().indexOf(y);
        if (outIndex >= 0) {
            String name = y.name();
            y.setName(b.names().uniqueValue(name + "_base"));
            sum.setName(name);
            g.replaceOutput(outIndex, sum);
        }
        return module + ": " + method.cliName() + " r=" + r + " alpha=" + PeftConfigs.num(cfg.alphaFor(module))
                + " scaling=" + PeftConfigs.num(scale);
    }

    /** The linear layers of the model that are not themselves adapter matrices of an earlier injection. */
    static LinearMatcher.Matches baseSites(Model m) {
        Set<String> adapterTensors = new HashSet<>();
        for (AdapterInfo a : PeftMetadata.adapters(m)) {
            adapterTensors.addAll(a.tensors().values());
        }
        LinearMatcher.Matches all = LinearMatcher.find(m.graph());
        List<LinearSite> sites = all.sites().stream().filter(s -> !adapterTensors.contains(s.weight().name()))
                .toList();
        List<SkippedCandidate> skipped = all.skipped().stream()
                .filter(s -> m.graph().nodes().stream().noneMatch(n -> n.name().equals(s.node())
                        && n.inputs().stream().anyMatch(v -> v != null && adapterTensors.contains(v.name()))))
                .toList();
        return new LinearMatcher.Matches(sites, skipped);
    }

    private static String unusable(LinearSite s, LoraConfig cfg) {
        DataType dt = s.weight().dtype();
        if (dt != DataType.FLOAT && dt != DataType.DOUBLE) {
            return "weight '" + s.weight().name() + "' is " + dt.onnxName() + "; LoRA injection needs float or double";
        }
        int r = cfg.rankFor(s.module());
        long min = Math.min(s.inFeatures(), s.outFeatures());
        if (r > min) {
            throw new IllegalArgumentException("rank " + r + " for module '" + s.module() + "' is larger than "
                    + "min(in, out) = min(" + s.inFeatures() + ", " + s.outFeatures() + ") = " + min
                    + "; lower r (or its rank_pattern entry)");
        }
        if (cfg.init().changesBaseWeight() && s.weightUses() > 1) {
            return "weight '" + s.weight().name() + "' is shared by " + s.weightUses() + " linear nodes; "
                    + cfg.init().peftValue() + " init would change the others";
        }
        return null;
    }

    private static IllegalArgumentException nothingSelected(Model m, LoraConfig cfg, List<SkippedCandidate> skipped) {
        if (!skipped.isEmpty()) {
            return new IllegalArgumentException("target '" + cfg.targets() + "' selects no usable module: "
                    + skipped.stream().map(SkippedCandidate::toString).limit(8).toList());
        }
        Set<String> names = new TreeSet<>();
        for (LinearSite s : baseSites(m).sites()) {
            names.add(s.module());
        }
        List<String> some = names.stream().limit(12).toList();
        return new IllegalArgumentException("target '" + cfg.targets() + "' matches no linear module of graph '"
                + m.graph().name() + "'" + (cfg.layers() == null ? "" : " (layers " + cfg.layers() + ")")
                + "; linear modules" + (names.size() > some.size() ? " (first " + some.size() + " of " + names.size()
                + ")" : "") + ": " + String.join(", ", some));
    }

    /** Elements of every floating-point initializer with at least one dimension. */
    static long floatParameters(Graph g) {
        long n = 0;
        for (Value v : g.initializers().values()) {
            Tensor t = v.constant();
            if (t.dtype().isFloatingPoint() && t.rank() > 0) {
                n += t.elementCount();
            }
        }
        return n;
    }
}
