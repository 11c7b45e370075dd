package io.ortune.training.objective;

import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the causal-LM trainer needs to know of a model that it did not build: a decoder's training form takes
 * {@value #INPUT_IDS} (int64 [batch, sequence]) and optionally {@value #ATTENTION_MASK} and {@value #POSITION_IDS}
 * (int64, same shape), and returns float {@value CausalLmObjective#LOGITS} [batch, sequence, vocab]. This is the
 * signature of a Hugging Face causal LM exported by {@code torch.onnx.export} or Optimum without past key values.
 *
 * @param vocab  the logits width
 * @param inputs the model's input names, in order
 */
public record CausalLmSignature(long vocab, List<String> inputs) {

    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String POSITION_IDS = "position_ids";
    private static final Set<String> KNOWN = Set.of(INPUT_IDS, ATTENTION_MASK, POSITION_IDS);

    public CausalLmSignature {
        inputs = List.copyOf(inputs);
    }

    /**
     * Reads and checks the signature of {@code m} (graph inputs that are also initializers are defaults, not inputs).
     *
     * @param source names the model in messages
     * @throws IllegalArgumentException listing every problem: a missing {@code input_ids}, an input the trainer cannot
     *                                  feed (with the ones it can), a missing or mis-shaped {@code logits}
     */
    public static CausalLmSignature of(Model m, String source) {
        List<String> problems = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Value v : m.graph().inputs()) {
            if (m.graph().initializer(v.name()) == v) {
                continue;
            }
            names.add(v.name());
            if (!KNOWN.contains(v.name())) {
                problems.add("input '" + v.name() + "' is not one the trainer can feed (it feeds " + INPUT_IDS + ", "
                        + ATTENTION_MASK + ", " + POSITION_IDS + ")");
            }
        }
        if (!names.contains(INPUT_IDS)) {
            problems.add("no '" + INPUT_IDS + "' input (inputs: " + names + ")");
        }
        long vocab = -1;
        Value logits = m.graph().outputs().stream().filter(v -> v.name().equals(CausalLmObjective.LOGITS))
                .findFirst().orElse(null);
        if (logits == null) {
            problems.add("no '" + CausalLmObjective.LOGITS + "' output (outputs: "
                    + m.graph().outputs().stream().map(Value::name).toList() + ")");
        } else {
            Shape s = logits.type() instanceof ValueType.TensorType t ? t.shape() : null;
            if (s == null || !s.hasRank() || s.rank() != 3 || !(s.dim(2) instanceof Dim.Known k)) {
                problems.add("output '" + CausalLmObjective.LOGITS + "' is " + logits.type()
                        + ", not float [batch, sequence, vocab] with a known vocab size");
            } else {
                vocab = k.size();
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(source + " is not a causal-LM training graph: "
                    + String.join("; ", problems));
        }
        return new CausalLmSignature(vocab, names);
    }
}
