package io.ortune.training.autodiff;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the transformer layer a weight or node belongs to from its name: {@code model.layers.3.mlp.up_proj.weight},
 * {@code transformer.h.3.attn.c_attn.weight}, {@code encoder.layer.3....}, node names such as
 * {@code /model/layers.3/self_attn/MatMul}.
 */
final class LayerNames {

    private static final Pattern LAYER = Pattern.compile("(?:^|[./])(?:layers|layer|h)\\.(\\d+)(?:[./]|$)");

    private LayerNames() {
    }

    /** The layer index in {@code name}, if it names one. */
    static OptionalInt layerOf(String name) {
        Matcher m = LAYER.matcher(name);
        if (!m.find()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(m.group(1)));
    }
}
