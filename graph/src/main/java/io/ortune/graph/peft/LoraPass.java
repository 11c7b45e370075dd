package io.ortune.graph.peft;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;

import java.util.Objects;

/**
 * {@code lora}: adds a LoRA pair to every linear module {@link LoraConfig#targets()} selects (within
 * {@link LoraConfig#layers()}), as PEFT's {@code LoraModel} does.
 *
 * <p>Per module {@code M}: initializers {@code M.lora_A.<adapter>.weight} [r, in] and {@code M.lora_B.<adapter>.weight}
 * [out, r] (PEFT layout, trainable), the scalar {@code M.lora_scaling.<adapter>} (PEFT's {@code scaling}, α/r or
 * α/√r; not trainable), and the module's output becomes
 * {@code y + MatMul(MatMul(x', Transpose(A)), Transpose(B)) · (scaling · gate)} after the bias, where x' is x
 * through a training-only Dropout when dropout &gt; 0 ({@link StripTrainingOnlyPass} removes it) and
 * {@code lora_gate.<adapter>} is one scalar per adapter, 1 at injection, that {@link AdapterSwitch} sets. Nodes are
 * named under the module: {@code /model/layers.0/self_attn/q_proj/lora_A/default/MatMul}.
 *
 * <p>With Kaiming or Gaussian init B is zero and the outputs are bit-identical to the input model's. PiSSA and
 * OLoRA replace the base weight by W − scaling·B·A, so outputs match the input model's to float32 rounding
 * (about 1e-6 relative), not bit for bit. With {@link LoraConfig#useDora()} this pass delegates to
 * {@link DoraPass}.
 *
 * <p>Refused with {@link IllegalArgumentException}: a target that selects nothing (the message lists available
 * modules), a rank above min(in, out) of a module, an adapter name already in the model. Modules that match but
 * cannot take an adapter (tied head, outside {@code layers}, quantized weight) are reported as skipped.
 */
public final class LoraPass implements InjectionPass {

    public static final String NAME = "lora";

    private final LoraConfig config;

    /** PEFT's defaults on every linear layer but the head ({@code all-linear}, r 8, alpha 8). */
    public LoraPass() {
        this(LoraConfig.of(TargetSpec.ALL_LINEAR));
    }

    public LoraPass(LoraConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public LoraConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }


    /** Injects the adapter into a copy of {@code model}; {@code model} is not changed. */
    public Injection inject(Model model) {
        if (config.useDora()) {
            return new DoraPass(config).inject(model);
        }
        return AdapterInjector.inject(model, config, PeftMethod.LORA, LoraPass::emit);
    }

    /** {@code lora(x') · (scaling · gate)}. */
    private static Value emit(AdapterInjector.Site c) {
        Value lora = c.loraProduct(c.input());
        return c.in("lora", () -> c.b().mul(lora, c.b().mul(c.scaling(), c.gate())));
    }
}
