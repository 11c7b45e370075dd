package io.ortune.training.artifacts;

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
 * Builds the optimizer model ONNX Runtime's training API runs for {@code OptimizerStep}. Its graph inputs are, in
 * this order, {@value #LEARNING_RATE} (float[1]), {@value #STEP} (int64[1]) and the tensor sequences
 * {@value #PARAMS}, {@value #GRADIENTS}, {@value #FIRST_ORDER_MOMENTS} and, for AdamW,
 * {@value #SECOND_ORDER_MOMENTS}; ONNX Runtime checks these names and their order (for SGD it also expects
 * {@value #FIRST_ORDER_MOMENTS}, one zero state per parameter that the SGD node does not read). One optimizer node
 * updates the parameters in place; its flag output is declared bool[1], the shape both kernels produce (for SGD
 * ONNX Runtime's shape inference says scalar and logs one "lenient merge" warning when the model loads; declaring
 * a scalar instead makes it warn at every step). With {@code maxGradNorm > 0} an
 * {@code InplaceClipGradNorm} node clips the gradient sequence first.
 */
public final class OptimizerModels {

    public static final String LEARNING_RATE = "learning_rate";
    public static final String STEP = "step";
    public static final String PARAMS = "params";
    public static final String GRADIENTS = "gradients";
    public static final String FIRST_ORDER_MOMENTS = "first_order_moments";
    public static final String SECOND_ORDER_MOMENTS = "second_order_moments";
    public static final String MS_DOMAIN = "com.microsoft";

    /** IR version of every artifact model (what {@code generate_artifacts} writes and ONNX Runtime 1.17+ reads). */
    public static final long IR_VERSION = 8;
    /** Default-domain opset of the artifacts. */
    public static final long ONNX_OPSET = 17;

    private OptimizerModels() {
    }

    /** The optimizer model for {@code config}, over parameters of element type {@code paramType}. */
    public static Model build(OptimizerConfig config, DataType paramType) {
        if (config instanceof OptimizerConfig.AdamW a) {
            return adamw(a, paramType);
        }
        return sgd((OptimizerConfig.Sgd) config, paramType);
    }

    /**
     * An {@code AdamWOptimizer} model ({@code adam_mode=1}, Hugging Face semantics) whose {@code weight_decay}
     * attribute is {@code config.weightDecay()} for every parameter. To exclude biases and norm weights, pass a
     * config with the node decay from {@link WeightDecayPolicy#plan}.
     */
    public static Model adamw(OptimizerConfig.AdamW config, DataType paramType) {
        Graph g = new Graph("ortune_adamw_optimizer");
        Value lr = g.addInput(LEARNING_RATE, ValueType.tensor(DataType.FLOAT, 1));
        Value step = g.addInput(STEP, ValueType.tensor(DataType.INT64, 1));
        Value params = g.addInput(PARAMS, sequenceOf(paramType));
        Value grads = g.addInput(GRADIENTS, sequenceOf(paramType));
        Value m1 = g.addInput(FIRST_ORDER_MOMENTS, sequenceOf(paramType));
        Value m2 = g.addInput(SECOND_ORDER_MOMENTS, sequenceOf(paramType));
        Value g2 = clipped(g, grads, config.maxGradNorm(), paramType);
        List<Attribute> attrs = List.of(
                new Attribute.FloatAttr("alpha", config.beta1()),
                new Attribute.FloatAttr("beta", config.beta2()),
                new Attribute.FloatAttr("epsilon", config.epsilon()),
                new Attribute.FloatAttr("weight_decay", config.weightDecay()),
                new Attribute.IntAttr("correct_bias", config.correctBias() ? 1 : 0),
                new Attribute.IntAttr("adam_mode", 1));
        Node n = g.addNode("AdamWOptimizer0", MS_DOMAIN, "AdamWOptimizer",
                List.of(lr, step, params, g2, m1, m2), List.of("adamw.updated_flag"), attrs);
        return finish(g, n.output(0), ValueType.tensor(DataType.BOOL, 1));
    }

    /** An {@code SGDOptimizerV2} model: {@code p -= lr * grad}. */
    public static Model sgd(OptimizerConfig.Sgd config, DataType paramType) {
        Graph g = new Graph("ortune_sgd_optimizer");
        Value lr = g.addInput(LEARNING_RATE, ValueType.tensor(DataType.FLOAT, 1));
        g.addInput(STEP, ValueType.tensor(DataType.INT64, 1)); // unused by SGD, but ONNX Runtime expects it
        Value params = g.addInput(PARAMS, sequenceOf(paramType));
        Value grads = g.addInput(GRADIENTS, sequenceOf(paramType));
        g.addInput(FIRST_ORDER_MOMENTS, sequenceOf(paramType)); // ONNX Runtime's SGD keeps a "momentum0" state
        Value g2 = clipped(g, grads, config.maxGradNorm(), paramType);
        Node n = g.addNode("SGDOptimizerV2_0", MS_DOMAIN, "SGDOptimizerV2", List.of(lr, params, g2),
                List.of("sgd.update_completed"), List.of());
        return finish(g, n.output(0), ValueType.tensor(DataType.BOOL, 1));
    }

    /**
     * Sets what every artifact model shares: IR version {@value #IR_VERSION}, the default-domain opset
     * ({@value #ONNX_OPSET} unless the model imports one already) and {@code com.microsoft} 1.
     */
    static void stampArtifactModel(Model m) {
        m.setIrVersion(IR_VERSION);
        if (m.opsetVersion("") < 0) { // a model's own default-domain opset is kept: its ops were checked against it
            m.opsetImports().put("", ONNX_OPSET);
        }
        m.opsetImports().putIfAbsent(MS_DOMAIN, 1L);
        if (m.producerName().isEmpty()) {
            m.setProducerName("ortune");
            m.setProducerVersion(OrtuneVersion.get());
        }
    }

    private static Value clipped(Graph g, Value grads, float maxNorm, DataType paramType) {
        if (maxNorm == 0f) {
            return grads;
        }
        Node clip = g.addNode("InplaceClipGradNorm0", MS_DOMAIN, "InplaceClipGradNorm", List.of(grads),
                List.of("clip_grad_norm_output"),
                List.of(new Attribute.FloatAttr("max_norm", maxNorm), new Attribute.StringAttr("norm_type", "fro")));
        Value out = clip.output(0);
        out.setType(sequenceOf(paramType));
        g.valueInfos().add(out);
        return out;
    }

    private static Model finish(Graph g, Value flag, ValueType flagType) {
        flag.setType(flagType);
        g.addOutput(flag);
        Model m = new Model(g);
        m.opsetImports().put("", ONNX_OPSET);
        m.opsetImports().put(MS_DOMAIN, 1L);
        stampArtifactModel(m);
        return m;
    }

    private static ValueType sequenceOf(DataType t) {
        return new ValueType.SequenceType(ValueType.tensor(t, Shape.UNKNOWN_RANK));
    }

    /** Input names ONNX Runtime expects for {@code config}, in order. */
    public static List<String> inputNames(OptimizerConfig config) {
        List<String> names = new ArrayList<>(List.of(LEARNING_RATE, STEP, PARAMS, GRADIENTS, FIRST_ORDER_MOMENTS));
        if (config instanceof OptimizerConfig.AdamW) {
            names.add(SECOND_ORDER_MOMENTS);
        }
        return names;
    }
}
