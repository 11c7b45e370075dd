package io.ortune.graph.peft;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.Objects;

/**
 * {@code dora}: weight-decomposed LoRA (PEFT's {@code use_dora=True}). Everything {@link LoraPass} adds, plus a
 * trainable magnitude {@code M.lora_magnitude_vector.<adapter>} [out], initialised to the row norms of
 * W + s·B·A (the norms of W when B starts at zero), PEFT's {@code lora_magnitude_vector}.
 *
 * <p>Output, in PEFT's form (which reuses the base result): with base = x'·Wᵀ (before the bias) and
 * ms = m / ‖W + s·B·A‖_row, {@code y + gate · ((ms − 1) ⊙ base + ms ⊙ (s · lora(x')))}, i.e.
 * {@code ms ⊙ (x'·(W + s·BA)ᵀ) + bias} when the gate is 1. The norm is computed in float64 and passes through an
 * {@code Identity} marked {@link NodeMarks#STOP_GRADIENT}, so the autodiff treats it as a constant, as PEFT
 * detaches it. Because the magnitude is initialised to the same float64 norm rounded to the weight's type, ms is
 * exactly 1 at injection and Kaiming/Gaussian-initialised outputs are bit-identical to the base model's (PiSSA and
 * OLoRA: within float32 rounding). A gate of 0 switches the whole DoRA term off, magnitude included. When dropout
 * is set, base is recomputed from the dropped-out input, as PEFT does.
 */
public final class DoraPass implements InjectionPass {

    public static final String NAME = "dora";

    private final LoraConfig config;

    /** PEFT's defaults on every linear layer but the head. */
    public DoraPass() {
        this(LoraConfig.of(TargetSpec.ALL_LINEAR));
    }

    /** {@code config} with {@code use_dora} on. */
    public DoraPass(LoraConfig config) {
        this.config = Objects.requireNonNull(config, "config").withDora(true);
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
        return AdapterInjector.inject(model, config, PeftMethod.DORA, DoraPass::emit);
    }

    private static Value emit(AdapterInjector.Site c) {
        GraphBuilder b = c.b();
        LinearSite s = c.site();
        DataType dt = s.weight().dtype();
        String mName = c.module() + ".lora_magnitude_vector." + c.config().adapterName();
        Value m = b.initializer(mName, LoraFactors.tensor(mName, dt, new long[] {s.outFeatures()}, magnitude(c)));
        c.trainable().add(mName);
        c.tensors().put("base_model.model." + c.module() + ".lora_magnitude_vector", mName);
        Value x = c.input();
        Value lora = c.loraProduct(x);
        return c.in("lora_magnitude_vector", () -> {
            Value ms = b.div(m, weightNorm(c));
            Value base = base(c, x);
            Value one = b.scalarLike(ms, 1.0);
            Value term = b.add(b.mul(b.sub(ms, one), base), b.mul(ms, b.mul(lora, c.scaling())));
            return b.mul(term, c.gate());
        });
    }

    /** ‖W + s·B·A‖ per output row, in float64, cast back and detached. */
    private static Value weightNorm(AdapterInjector.Site c) {
        GraphBuilder b = c.b();
        LinearSite s = c.site();
        DataType dt = s.weight().dtype();
        Value ba = b.matMul(wide(b, c.bw()), wide(b, c.a()));
        boolean inOut = s.layout() == WeightLayout.IN_OUT;
        if (inOut) {
            ba = b.transpose(ba, 1, 0);
        }
        Value w = b.add(wide(b, s.weight()), b.mul(ba, wide(b, c.scaling())));
        Value norm = b.sqrt(b.reduceSum(b.mul(w, w), new long[] {inOut ? 0 : 1}, false));
        Value narrow = dt == DataType.DOUBLE ? norm : b.cast(norm, dt);
        Value detached = b.identity(narrow);
        NodeMarks.markStopGradient(detached.producer());
        return detached;
    }

    private static Value wide(GraphBuilder b, Value v) {
        return v.dtype() == DataType.DOUBLE ? v : b.cast(v, DataType.DOUBLE);
    }

    /** The layer's product before the bias: the MatMul's own output, or recomputed from the dropped-out input. */
    private static Value base(AdapterInjector.Site c, Value x) {
        LinearSite s = c.site();
        Node n = s.node();
        if (n.is("MatMul") && x == s.input()) {
            return n.output();
        }
        GraphBuilder b = c.b();
        Value right = n.is("MatMul") ? n.input(1)
                : s.layout() == WeightLayout.OUT_IN ? b.transpose(s.weight(), 1, 0) : s.weight();
        return b.matMul(x, right);
    }

    /** Row norms of W + s·B·A in float64 (from the stored, rounded values), rounded to the weight's type. */
    private static double[] magnitude(AdapterInjector.Site c) {
        LinearSite s = c.site();
        int out = Math.toIntExact(s.outFeatures());
        int in = Math.toIntExact(s.inFeatures());
        int r = c.rank();
        double[] w = LoraFactors.outIn(LoraFactors.values(s.weight().constant()), s.layout(), out, in);
        double[] a = LoraFactors.values(c.a().constant());
        double[] bw = LoraFactors.values(c.bw().constant());
        double sc = LoraFactors.values(c.scaling().constant())[0];
        double[] norms = new double[out];
        for (int i = 0; i < out; i++) {
            double sum = 0;
            for (int j = 0; j < in; j++) {
                double ba = 0;
                for (int t = 0; t < r; t++) {
                    ba += bw[i * r + t] * a[t * in + j];
                }
                double v = w[i * in + j] + ba * sc;
                sum += v * v;
            }
            norms[i] = Math.sqrt(sum);
        }
        return norms;
    }
}
