package io.ortune.training.artifacts;

import static io.ortune.training.artifacts.ArtifactValidator.ACCUMULATION_OUT_SUFFIX;
import static io.ortune.training.artifacts.ArtifactValidator.BUFFER_SUFFIX;
import static io.ortune.training.artifacts.ArtifactValidator.LAZY_RESET_GRAD;

import io.ortune.graph.analysis.DeadCodeElimination;
import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import io.ortune.graph.pass.PassResult;
import io.ortune.graph.peft.StripTrainingOnlyPass;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites copies of the request's model into the training and eval models ONNX Runtime's training API expects.
 * Each method works on its own deep copy; the request's model is left alone.
 */
final class ArtifactGraphs {

    /** A rewritten model and what the rewrite did, for the summary. */
    record Rewritten(Model model, List<String> userInputs, List<String> notes) { }

    private ArtifactGraphs() {
    }

    /**
     * The training model: parameters become graph inputs, {@code lazy_reset_grad} and one accumulation buffer per
     * trainable parameter are added, each gradient flows into {@code InPlaceAccumulatorV2(buffer, grad,
     * lazy_reset_grad)} whose bool[1] flag {@code p_grad.accumulation.out} is a graph output; the loss is the first
     * output. Nodes no output needs are removed.
     */
    static Rewritten training(ArtifactRequest r, ArtifactValidator.Resolved res) {
        GraphCopier.Mapped copy = GraphCopier.copyWithMapping(r.model());
        Graph g = copy.model().graph();
        Set<Value> gradients = mappedGradients(r, copy);
        setOutputs(g, copy.map(r.loss()), gradients);
        List<String> userInputs = paramsToInputs(g, res);

        List<String> notes = new ArrayList<>();
        Value reset = g.addInput(LAZY_RESET_GRAD, ValueType.tensor(DataType.BOOL, 1));
        Set<String> names = GraphNames.all(g);
        Map<Value, Integer> gradientUses = new IdentityHashMap<>();
        for (String p : res.trainable()) {
            gradientUses.merge(copy.map(r.gradients().get(p)), 1, Integer::sum);
        }
        int renamed = 0;
        for (String p : res.trainable()) {
            Value grad = copy.map(r.gradients().get(p));
            String conventional = p + "_grad";
            if (!grad.name().equals(conventional) && !names.contains(conventional) && gradientUses.get(grad) == 1
                    && grad.producer() != null && !g.outputs().contains(grad)) {
                names.remove(grad.name());
                grad.setName(conventional);
                names.add(conventional);
                renamed++;
            }
            Tensor init = res.initial().get(p);
            Value buffer = g.addInput(p + BUFFER_SUFFIX, ValueType.tensor(init.dtype(), Shape.ofLongs(init.dims())));
            Node acc = g.addNode(p + "_grad.accumulation.InPlaceAccumulatorV2", OptimizerModels.MS_DOMAIN,
                    "InPlaceAccumulatorV2", List.of(buffer, grad, reset), List.of(p + ACCUMULATION_OUT_SUFFIX),
                    List.of());
            Value flag = acc.output(0);
            flag.setType(ValueType.tensor(DataType.BOOL, 1));
            g.addOutput(flag);
        }
        // ONNX Runtime classifies inputs by name; the order only has to be stable: user inputs, parameters,
        // gradient buffers, then the reset flag.
        g.removeInput(reset);
        g.addInput(reset);
        if (renamed > 0) {
            notes.add("training: renamed " + renamed + " gradient value(s) to '<param>_grad'");
        }
        prune(g, "training", notes);
        OptimizerModels.stampArtifactModel(copy.model());
        return new Rewritten(copy.model(), userInputs, notes);
    }

    /**
     * The eval model: forward and loss only (gradient nodes removed), parameters as graph inputs, training-only nodes
     * (LoRA dropout) left out so evaluation is deterministic.
     */
    static Rewritten eval(ArtifactRequest r, ArtifactValidator.Resolved res) {
        GraphCopier.Mapped copy = GraphCopier.copyWithMapping(r.model());
        Graph g = copy.model().graph();
        setOutputs(g, copy.map(r.loss()), mappedGradients(r, copy));
        List<String> userInputs = paramsToInputs(g, res);
        List<String> notes = new ArrayList<>();
        prune(g, "eval", notes);
        PassResult stripped = new StripTrainingOnlyPass().run(copy.model());
        if (stripped.changed()) {
            notes.addAll(stripped.changes());
        }
        OptimizerModels.stampArtifactModel(stripped.model());
        return new Rewritten(stripped.model(), userInputs, notes);
    }

    private static Set<Value> mappedGradients(ArtifactRequest r, GraphCopier.Mapped copy) {
        Set<Value> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Value v : r.gradients().values()) {
            out.add(copy.map(v));
        }
        return out;
    }

    /** Loss first, then the model's other outputs that are not gradients. */
    private static void setOutputs(Graph g, Value loss, Set<Value> gradients) {
        List<Value> outputs = new ArrayList<>();
        outputs.add(loss);
        for (Value v : g.outputs()) {
            if (v != loss && !gradients.contains(v) && !outputs.contains(v)) {
                outputs.add(v);
            }
        }
        g.clearOutputs();
        outputs.forEach(g::addOutput);
    }

    /**
     * Moves every parameter from initializer to graph input (name and value object unchanged, so uses stay linked)
     * and orders inputs: user inputs, trainable parameters, frozen parameters. Returns the user input names.
     */
    private static List<String> paramsToInputs(Graph g, ArtifactValidator.Resolved res) {
        Map<String, Value> params = new LinkedHashMap<>();
        for (String p : concat(res.trainable(), res.frozen())) {
            Value v = g.initializer(p);
            g.removeInitializer(v);
            v.setType(ValueType.tensor(res.initial().get(p).dtype(), Shape.ofLongs(res.initial().get(p).dims())));
            params.put(p, v);
        }
        List<Value> user = new ArrayList<>();
        for (Value in : g.inputs()) {
            if (!params.containsValue(in)) {
                user.add(in);
            }
        }
        for (Value in : new ArrayList<>(g.inputs())) {
            g.removeInput(in);
        }
        List<String> userNames = new ArrayList<>();
        for (Value in : user) {
            g.addInput(in);
            userNames.add(in.name());
        }
        params.values().forEach(g::addInput);
        return userNames;
    }

    private static void prune(Graph g, String which, List<String> notes) {
        DeadCodeElimination.Result removed = DeadCodeElimination.run(g);
        if (removed.changed()) {
            notes.add(which + ": removed " + removed.nodes() + " node(s) and " + removed.initializers()
                    + " constant(s) that no output needs");
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
