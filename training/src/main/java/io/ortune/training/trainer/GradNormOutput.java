package io.ortune.training.trainer;

import io.ortune.graph.analysis.TopologicalSort;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.ArrayList;
import java.util.List;

/**
 * Adds the output {@value #NAME} to a training model: the squared global L2 norm of the accumulated gradients
 * after this training step, i.e. of what the optimizer step would see (before clipping).
 *
 * <p>Each {@code InPlaceAccumulatorV2(buffer, grad, reset)} leaves {@code reset ? grad : buffer + grad} in the
 * buffer. The pass computes {@code Σ_p ‖where(reset, 0, buffer_p) + grad_p‖²} from the same inputs, and makes
 * every accumulator wait for that sum by feeding it {@code reset OR (sum < -1)} (always equal to {@code reset}) as
 * its reset flag: the accumulators write the buffers in place, so the norm must read them first, and only a data
 * dependency makes ONNX Runtime order the nodes that way. The cost is one extra pass over the gradients per step.
 */
final class GradNormOutput {

    static final String NAME = "grad_sq_norm";

    private GradNormOutput() {
    }

    /** Adds the output in place; returns the number of accumulators covered (0: the model is left as it was). */
    static int add(Model trainingModel) {
        Graph g = trainingModel.graph();
        List<Node> accumulators = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n.opType().equals("InPlaceAccumulatorV2")) {
                accumulators.add(n);
            }
        }
        if (accumulators.isEmpty()) {
            return 0;
        }
        GraphBuilder b = GraphBuilder.on(trainingModel);
        Value reset = accumulators.get(0).input(2);
        List<Value> squares = new ArrayList<>();
        try (GraphBuilder.Scope s = b.scope("ortune/grad_norm")) {
            Value zero = b.constFloat(0f);
            for (Node acc : accumulators) {
                Value buffer = acc.input(0);
                Value grad = acc.input(1);
                Value total = b.add(b.where(reset, zero, buffer), grad);
                Value sq = b.op("", "ReduceSumSquare", List.of(total), new Attribute.IntAttr("keepdims", 0));
                sq.setType(ValueType.tensor(DataType.FLOAT, Shape.SCALAR));
                squares.add(sq);
            }
            Value sum = squares.size() == 1 ? squares.get(0) : b.op("", "Sum", squares);
            sum.setType(ValueType.tensor(DataType.FLOAT, Shape.SCALAR));
            Value never = b.less(sum, b.constFloat(-1f));
            Value gate = b.op("", "Or", List.of(reset, never));
            gate.setType(ValueType.tensor(DataType.BOOL, 1));
            for (Node acc : accumulators) {
                acc.setInput(2, gate);
            }
            b.output(sum, NAME);
        }
        g.reorderNodes(TopologicalSort.order(g));
        return accumulators.size();
    }
}
