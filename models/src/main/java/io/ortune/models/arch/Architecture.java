package io.ortune.models.arch;

import io.ortune.graph.ir.Model;
import io.ortune.models.config.ModelConfig;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One model family as a graph builder: which configs it takes, which weights it needs (names and shapes, from one
 * place per family), how checkpoint names map to those names, and how to build each {@link Form}.
 * {@link ModelFactory} validates weights against {@link #weights} before calling {@link #build}.
 */
public interface Architecture {

    /** The {@link ModelMetadata#ARCHITECTURE} value: {@code gpt2}, {@code llama} or {@code bert}. */
    String name();

    /** Whether this family builds models of {@code config}'s type. */
    boolean accepts(ModelConfig config);

    /** The forms this family has (an encoder has no KV-cache form). */
    Set<Form> forms();

    /**
     * Fails with {@link UnsupportedOperationException} naming the option when {@code config} asks for something
     * this builder cannot express in {@code form}.
     */
    void requireSupported(ModelConfig config, Form form);

    /**
     * The weights a model of {@code config} needs, given the (canonical) names a source offers (a family with two
     * checkpoint layouts, such as GPT-2's fused or split q/k/v, picks the one present).
     */
    List<WeightSpec> weights(ModelConfig config, Set<String> available);

    /**
     * Canonical name → checkpoint name for every tensor of a checkpoint (for example GPT-2 checkpoints saved
     * without the {@code transformer.} prefix). The default keeps every name.
     */
    default Map<String, String> canonicalNames(Set<String> checkpointNames) {
        Map<String, String> m = new TreeMap<>();
        for (String n : checkpointNames) {
            m.put(n, n);
        }
        return m;
    }

    /** Whether a source tensor this family does not use may be left out silently (buffers, tied copies, other heads). */
    boolean ignorable(ModelConfig config, String name);

    /** Builds {@code form} from weights already checked against {@link #weights}. */
    Model build(ModelConfig config, WeightSource weights, Form form);
}
