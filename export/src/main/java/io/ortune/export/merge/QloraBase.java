package io.ortune.export.merge;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.training.qlora.Nf4QuantizePass;

import java.util.Arrays;

/** Checks that a float model is the base a QLoRA (NF4) model was quantized from, before adapters move onto it. */
final class QloraBase {

    private QloraBase() {
    }

    static void requireBaseOf(Model qlora, Model fpBase) {
        if (!Nf4Dequantize.isNf4(qlora)) {
            throw new MergeException("--base is for QLoRA models (NF4 MatMulBnb4 layers); model '"
                    + qlora.graph().name() + "' has none, its adapters already sit on float weights");
        }
        if (Nf4Dequantize.isNf4(fpBase)) {
            throw new MergeException("--base must be the full-precision model, but '" + fpBase.graph().name()
                    + "' has NF4 layers too");
        }
        for (Value v : qlora.graph().initializers().values()) {
            Value f = fpBase.graph().initializer(v.name());
            if (f != null && !sameShape(v.constant(), f.constant())) {
                throw new MergeException("--base is not this model's base: tensor '" + v.name() + "' is "
                        + describe(f.constant()) + " there and " + describe(v.constant()) + " here");
            }
        }
        for (Node n : qlora.graph().nodes()) {
            if (!"MatMulBnb4".equals(n.opType()) || !Nf4QuantizePass.MS_DOMAIN.equals(n.domain())) {
                continue;
            }
            String name = n.input(1).name().replaceFirst("\\.nf4$", "");
            Value f = fpBase.graph().initializer(name);
            long k = n.intAttr("K", -1);
            long cols = n.intAttr("N", -1);
            long[] dims = f == null ? null : f.constant().dims();
            boolean fits = dims != null && dims.length == 2 && (dims[0] == k && dims[1] == cols
                    || dims[0] == cols && dims[1] == k);
            if (!fits) {
                throw new MergeException("--base is not this model's base: the NF4 weight '" + name + "' (" + cols
                        + " x " + k + ") is " + (f == null ? "missing" : describe(f.constant())) + " there");
            }
        }
    }

    private static boolean sameShape(Tensor a, Tensor b) {
        return a.dtype() == b.dtype() && Arrays.equals(a.dims(), b.dims());
    }

    private static String describe(Tensor t) {
        return t.dtype().onnxName() + Arrays.toString(t.dims());
    }
}
