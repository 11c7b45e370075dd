package io.ortune.export.adapter;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.pass.Opset13UpgradePass;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.BottleneckAdapterConfig;
import io.ortune.graph.peft.BottleneckAdapterPass;
import io.ortune.graph.peft.Ia3Config;
import io.ortune.graph.peft.Ia3Pass;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraInit;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.PrefixTuningConfig;
import io.ortune.graph.peft.PrefixTuningPass;
import io.ortune.graph.peft.PromptTuningConfig;
import io.ortune.graph.peft.PromptTuningPass;
import io.ortune.graph.peft.StripTrainingOnlyPass;
import io.ortune.graph.peft.TargetSpec;
import io.ortune.models.arch.Upcast;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Attaches a PEFT adapter to a base: the config translated for the method's injection pass (LoRA/DoRA, IA3, prompt
 * tuning, prefix tuning, ortune's bottleneck adapters), the pass run on a copy of the base, then every adapter
 * tensor replaced by the file's bytes (so the attached values are the file's, bit for bit; float16/bfloat16 files
 * widened exactly to a float32 model).
 */
final class AdapterAttach {

    /** {@code init_lora_weights} values whose adapters belong to a changed base (PiSSA/OLoRA residuals, LoftQ). */
    private static final List<String> RESIDUAL_INITS = List.of("pissa", "olora", "loftq", "corda", "eva");

    private AdapterAttach() {
    }

    /**
     * @param trainable keep the training-only dropout (PEFT's {@code is_trainable=True}); otherwise the graph is for
     *                  inference, as {@code PeftModel.from_pretrained} gives by default
     */
    static Injection attach(Model base, PeftAdapter a, String name, String source, boolean trainable) {
        PeftAdapterConfig c = a.config();
        c.requireSupported(source);
        AdapterChecks.selfConsistent(a, source);
        AdapterChecks.againstBase(a, base, source);
        long opset = base.opsetVersion("");
        if (opset >= 11 && opset < 13) {
            throw new AdapterException(source, "the base model imports opset " + opset + "; the injection passes "
                    + "need 13 or newer: lift it first with " + Opset13UpgradePass.class.getSimpleName()
                    + " (ortune convert --pass " + Opset13UpgradePass.NAME + ")");
        }
        Injection inj = switch (a.method()) {
            case LORA, DORA -> new LoraPass(loraConfig(c, name, source)).inject(base);
            case IA3 -> new Ia3Pass(new Ia3Config(name, targetText(c.targets()), String.join(",",
                    c.feedforwardModules()), c.layers().orElse(null))).inject(base);
            case PROMPT -> new PromptTuningPass(PromptTuningConfig.random(c.numVirtualTokens())
                    .withAdapterName(name)).inject(base);
            case PREFIX -> new PrefixTuningPass(PrefixTuningConfig.of(c.numVirtualTokens()).withAdapterName(name))
                    .inject(base);
            case ADAPTER -> new BottleneckAdapterPass(bottleneckConfig(a, name, source)).inject(base);
        };
        Model m = trainable ? inj.model() : new StripTrainingOnlyPass().run(inj.model()).model();
        AdapterInfo info = PeftMetadata.adapter(m, name).orElseThrow(() -> new IllegalStateException("the "
                + a.method().cliName() + " pass recorded no adapter '" + name + "'"));
        setTensors(m.graph(), a, info, source);
        Map<String, String> config = new LinkedHashMap<>(info.config());
        if (!AdapterKeys.parts(a.method()).isEmpty()) {
            config.put("fan_in_fan_out", Boolean.toString(c.fanInFanOut()));
        }
        if (c.peftType().equals("LORA")) {
            config.put("init_lora_weights", c.initLoraWeights());
        }
        if (a.method() == io.ortune.graph.peft.PeftMethod.ADAPTER) {
            for (String k : List.of("style", "mh_adapter", "output_adapter", "reduction_factor", "non_linearity",
                    "residual_before_ln")) {
                if (c.other().get(k) != null) {
                    config.put(k, String.valueOf(c.other().get(k)));
                }
            }
            config.put("target_modules", c.targets().toString());
        }
        if (c.taskType() != null) {
            config.put("task_type", c.taskType());
        }
        if (c.baseModelNameOrPath() != null) {
            config.put("base_model_name_or_path", c.baseModelNameOrPath());
        }
        PeftMetadata.putAdapter(m, new AdapterInfo(name, info.method(), config, info.tensors()));
        return new Injection(m, inj.report());
    }

    /**
     * The bottleneck pass placed on exactly the file's modules (Pfeiffer placement over an explicit module list puts
     * the same {@code h + up(act(down(h)))} after each named projection as Houlsby does), with the file's reduction
     * factor and non-linearity.
     */
    static BottleneckAdapterConfig bottleneckConfig(PeftAdapter a, String name, String source) {
        Map<String, Object> o = a.config().other();
        try {
            int rf = Integer.parseInt(String.valueOf(o.getOrDefault("reduction_factor", 16)));
            BottleneckAdapterConfig.Activation act = BottleneckAdapterConfig.Activation.parse(
                    String.valueOf(o.getOrDefault("non_linearity", "relu")));
            String modules = TargetSpec.REGEX_PREFIX + String.join("|", a.modules().stream()
                    .map(java.util.regex.Pattern::quote).toList());
            return new BottleneckAdapterConfig(name, BottleneckAdapterConfig.Style.PFEIFFER, rf, act, null, modules,
                    null, 0);
        } catch (IllegalArgumentException e) {
            throw new AdapterException(source, "reduction_factor / non_linearity: " + e.getMessage());
        }
    }

    /** ortune's target text for PEFT's {@code target_modules}. */
    static String targetText(PeftAdapterConfig.Targets t) {
        return t.toTargetSpec().toString();
    }

    /** The pass's config for {@code c}; the init only shapes the tensors, which the file's values then replace. */
    static LoraConfig loraConfig(PeftAdapterConfig c, String name, String source) {
        if (RESIDUAL_INITS.contains(c.initLoraWeights().toLowerCase(java.util.Locale.ROOT))) {
            throw new AdapterException(source, "init_lora_weights: '" + c.initLoraWeights() + "' adapters are "
                    + "trained against a modified (residual) base; convert it to a plain LoRA in PEFT first "
                    + "(save_pretrained(..., path_initial_model_for_weight_conversion=...))");
        }
        try {
            return new LoraConfig(c.r(), c.loraAlpha(), c.loraDropout(), c.useRslora(), LoraInit.KAIMING,
                    c.targets().toTargetSpec(), c.layers().orElse(null), c.rankPattern(), c.alphaPattern(), name, 0,
                    c.useDora());
        } catch (IllegalArgumentException e) {
            throw new AdapterException(source, e.getMessage());
        }
    }

    private static void setTensors(Graph g, PeftAdapter a, AdapterInfo info, String source) {
        List<String> issues = new ArrayList<>();
        TreeSet<String> expected = new TreeSet<>(info.tensors().keySet());
        TreeSet<String> given = new TreeSet<>(a.tensors().keySet());
        if (!expected.equals(given)) {
            TreeSet<String> missing = new TreeSet<>(expected);
            missing.removeAll(given);
            TreeSet<String> extra = new TreeSet<>(given);
            extra.removeAll(expected);
            missing.forEach(k -> issues.add("missing key '" + k + "': the injected adapter has this tensor"));
            extra.forEach(k -> issues.add("key '" + k + "': the injection made no such tensor"));
            AdapterChecks.fail(source, issues);
        }
        for (Map.Entry<String, String> e : info.tensors().entrySet()) {
            Value v = g.initializer(e.getValue());
            Tensor file = a.tensor(e.getKey());
            Tensor made = v.constant();
            if (widens(file.dtype(), made.dtype())) {
                file = Upcast.toFloat32(file);
            }
            if (made.dtype() != file.dtype() || !java.util.Arrays.equals(made.dims(), file.dims())) {
                issues.add("key '" + e.getKey() + "': expected " + made.dtype().onnxName()
                        + java.util.Arrays.toString(made.dims()) + " (initializer '" + v.name() + "'), found "
                        + file.dtype().onnxName() + java.util.Arrays.toString(file.dims()));
                continue;
            }
            g.setInitializerTensor(v, Tensor.ofBytes(v.name(), file.dtype(), file.dims(), copy(file.bytes())));
        }
        AdapterChecks.fail(source, issues);
    }

    /** float16 and bfloat16 adapter tensors are attached to float32 models exactly (every such value is a float32). */
    static boolean widens(DataType file, DataType model) {
        return model == DataType.FLOAT && (file == DataType.FLOAT16 || file == DataType.BFLOAT16);
    }

    /** The tensor's bytes on the heap: the model must not depend on the adapter file staying where it is. */
    private static byte[] copy(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
