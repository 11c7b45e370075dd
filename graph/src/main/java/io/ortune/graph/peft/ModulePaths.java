package io.ortune.graph.peft;

import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that turns names into PyTorch-style module paths ({@code model.layers.0.self_attn.q_proj}) and
 * module paths into layer indices.
 *
 * <p>Sources, most trusted first: a weight named like a checkpoint key ({@code model.layers.0.self_attn.q_proj.weight}
 * gives {@code model.layers.0.self_attn.q_proj}); else the node's name as ortune's builder and PyTorch's exporter
 * write it ({@code /model/layers.0/self_attn/q_proj/MatMul}, {@code /encoder/layer.0/attention/self/query/MatMul}).
 * Exporter weight names such as {@code onnx::MatMul_787} carry no module and are ignored.
 */
public final class ModulePaths {

    private static final Pattern LAYER = Pattern.compile("(?:^|[./])(?:layers|layer|h|blocks|block)\\.(\\d+)(?:[./]|$)");
    private static final Pattern CHECKPOINT_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_]+)*");
    private static final String[] PARAM_SUFFIXES = {".weight", ".bias"};

    private ModulePaths() {
    }

    /**
     * The module a weight belongs to, from a checkpoint-style name ({@code a.b.weight} → {@code a.b}); empty for
     * exporter-generated names ({@code onnx::MatMul_787}, {@code /model/Constant_output_0}).
     */
    public static Optional<String> fromWeightName(String name) {
        if (name == null || !CHECKPOINT_KEY.matcher(name).matches()) {
            return Optional.empty();
        }
        for (String s : PARAM_SUFFIXES) {
            if (name.endsWith(s) && name.length() > s.length()) {
                return Optional.of(name.substring(0, name.length() - s.length()));
            }
        }
        return Optional.empty();
    }

    /**
     * The module a node belongs to, from a name of the form {@code /a/b.0/c/OpType} or {@code /a/b.0/c/OpType_3}
     * ({@code a.b.0.c}); empty when the name has no module part.
     */
    public static Optional<String> fromNodeName(String nodeName) {
        if (nodeName == null || !nodeName.startsWith("/")) {
            return Optional.empty();
        }
        int last = nodeName.lastIndexOf('/');
        if (last <= 0) {
            return Optional.empty();
        }
        String path = nodeName.substring(1, last).replace('/', '.');
        return path.isEmpty() ? Optional.empty() : Optional.of(path);
    }

    /**
     * The module of a linear node: from its weight's checkpoint name when it has one (the name PEFT and checkpoints
     * use), else from the node's name; empty when neither names a module.
     */
    public static Optional<String> ofLinear(Node node, Value weight) {
        Optional<String> w = weight == null ? Optional.empty() : fromWeightName(weight.name());
        return w.isPresent() ? w : fromNodeName(node.name());
    }

    /** The transformer layer index in a module path or name ({@code layers.3}, {@code layer.3}, {@code h.3}). */
    public static OptionalInt layerOf(String name) {
        Matcher m = LAYER.matcher(name);
        if (!m.find()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(m.group(1)));
    }

    /** The last component of a module path ({@code model.layers.0.self_attn.q_proj} → {@code q_proj}). */
    public static String leaf(String modulePath) {
        int dot = modulePath.lastIndexOf('.');
        return dot < 0 ? modulePath : modulePath.substring(dot + 1);
    }

    /**
     * Whether {@code modulePath} ends with the dotted suffix {@code key} on a component boundary, as PEFT matches
     * {@code target_modules} ({@code c_proj} matches {@code transformer.h.0.attn.c_proj} and
     * {@code transformer.h.0.mlp.c_proj}; {@code attn.c_proj} matches only the first).
     */
    public static boolean endsWithModule(String modulePath, String key) {
        return modulePath.equals(key) || modulePath.endsWith("." + key);
    }
}
