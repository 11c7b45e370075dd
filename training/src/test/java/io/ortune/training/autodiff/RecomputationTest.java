package io.ortune.training.autodiff;

import io.ortune.graph.peft.ModulePaths;
import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.analysis.GraphWalk;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With {@code recomputeLayers}, no backward node reads an activation that lives only inside a layer: it reads a
 * recomputed copy made from the layer's inputs. (That the gradients stay right is in
 * {@link WholeModelGradientTest} and {@link CompositeGradTest}.)
 */
class RecomputationTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny-gqa"})
    void backwardReadsNoLayerInternalActivation(String name) throws IOException {
        Path dir = WholeModelGradientTest.golden(name);
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("model.safetensors")), "golden model missing");
        Model m = CausalLmLoss.append(ModelFactory.fromHuggingFace(dir.resolve("config.json"),
                dir.resolve("model.safetensors"), Form.TRAINING));
        AutodiffResult plain = Autodiff.differentiate(m, CausalLmLoss.LOSS, TrainableSet.all());
        AutodiffResult r = Autodiff.differentiate(m, CausalLmLoss.LOSS, TrainableSet.all(),
                AutodiffOptions.defaults().withRecomputeLayers(true));
        assertThat(internalReads(plain.model(), m.graph().nodes().size())).as("without recomputation").isPositive();
        assertThat(internalReads(r.model(), m.graph().nodes().size())).as("with recomputation").isZero();
        assertThat(r.report().recomputedNodes()).isPositive();
    }

    /** Reads, by nodes after the first {@code forwardCount}, of values internal to one layer. */
    static int internalReads(Model model, int forwardCount) {
        List<Node> nodes = model.graph().nodes();
        Map<Node, Integer> layer = new IdentityHashMap<>();
        for (Node n : nodes.subList(0, forwardCount)) {
            OptionalInt l = ModulePaths.layerOf(n.name());
            if (l.isPresent() && !n.opType().equals("Constant") && !n.opType().equals("Dropout")) {
                layer.put(n, l.getAsInt());
            }
        }
        Set<Value> internal = GraphWalk.identitySet();
        for (Node n : layer.keySet()) {
            internal.addAll(n.outputs());
        }
        for (Node n : nodes.subList(0, forwardCount)) {
            for (Value in : n.inputs()) {
                if (in != null && in.producer() != null && layer.containsKey(in.producer())
                        && !layer.get(in.producer()).equals(layer.get(n))) {
                    internal.remove(in);
                }
            }
        }
        internal.removeAll(model.graph().outputs());
        int reads = 0;
        for (Node n : nodes.subList(forwardCount, nodes.size())) {
            for (Value in : n.inputs()) {
                reads += in != null && internal.contains(in) ? 1 : 0;
            }
        }
        return reads;
    }
}
