package io.ortune.runtime;

import com.google.flatbuffers.FlatBufferBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A hand-made set of ONNX Runtime training artifacts for one parameter {@code w} of shape [2]:
 * {@code loss = ReduceSum(x * w)}, whose gradient is {@code dloss/dw = x} (written into the training graph by hand),
 * an eval model computing the same loss, an AdamW optimizer model, and a checkpoint in ONNX Runtime's flatbuffer
 * format. Layout as in docs/runtime-notes.md ("Training artifacts").
 */
final class TrainingArtifacts {

    static final String PARAM = "w";
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    /** The four files of an artifact set. */
    record Files4(Path train, Path eval, Path optimizer, Path checkpoint) { }

    private TrainingArtifacts() {
    }

    static Files4 write(Path dir, float[] w) throws IOException {
        Files4 f = new Files4(dir.resolve("training_model.onnx"), dir.resolve("eval_model.onnx"),
                dir.resolve("optimizer_model.onnx"), dir.resolve("checkpoint"));
        Files.write(f.train(), trainModel());
        Files.write(f.eval(), evalModel());
        Files.write(f.optimizer(), optimizerModel());
        Files.write(f.checkpoint(), checkpoint(w));
        return f;
    }

    private static Model model(Graph g) {
        Model m = new Model(g);
        m.setIrVersion(8);
        m.setProducerName("ortune-runtime-test");
        m.opsetImports().put("", 17L);
        m.opsetImports().put("com.microsoft", 1L);
        return m;
    }

    /** Inputs x, w, lazy_reset_grad, w_grad.accumulation.buffer; outputs loss and w_grad.accumulation.out. */
    static byte[] trainModel() {
        Graph g = new Graph("train");
        Value x = g.addInput("x", ValueType.tensor(DataType.FLOAT, 2));
        Value w = g.addInput(PARAM, ValueType.tensor(DataType.FLOAT, 2));
        Value reset = g.addInput("lazy_reset_grad", ValueType.tensor(DataType.BOOL, 1));
        Value buffer = g.addInput(PARAM + "_grad.accumulation.buffer", ValueType.tensor(DataType.FLOAT, 2));
        Value loss = forward(g, x, w);
        Node grad = g.addNode("grad", "", "Identity", List.of(x), List.of(PARAM + "_grad"), List.of());
        grad.output().setType(ValueType.tensor(DataType.FLOAT, 2));
        Node acc = g.addNode("accumulate", "com.microsoft", "InPlaceAccumulatorV2",
                List.of(buffer, grad.output(), reset), List.of(PARAM + "_grad.accumulation.out"), List.of());
        acc.output().setType(ValueType.tensor(DataType.BOOL, 1));
        g.addOutput(loss);
        g.addOutput(acc.output());
        return TestModels.bytes(model(g));
    }

    static byte[] evalModel() {
        Graph g = new Graph("eval");
        Value x = g.addInput("x", ValueType.tensor(DataType.FLOAT, 2));
        Value w = g.addInput(PARAM, ValueType.tensor(DataType.FLOAT, 2));
        g.addOutput(forward(g, x, w));
        return TestModels.bytes(model(g));
    }

    private static Value forward(Graph g, Value x, Value w) {
        Node mul = g.addNode("mul", "", "Mul", List.of(x, w), List.of("xw"), List.of());
        mul.output().setType(ValueType.tensor(DataType.FLOAT, 2));
        Node sum = g.addNode("sum", "", "ReduceSum", List.of(mul.output()), List.of("loss"),
                List.of(new Attribute.IntAttr("keepdims", 0)));
        sum.output().setType(ValueType.tensor(DataType.FLOAT, Shape.SCALAR));
        return sum.output();
    }

    /** learning_rate, step, then sequences params, gradients, first and second moments, into one AdamWOptimizer. */
    static byte[] optimizerModel() {
        Graph g = new Graph("optimizer");
        ValueType seq = new ValueType.SequenceType(ValueType.tensor(DataType.FLOAT, Shape.UNKNOWN_RANK));
        Value lr = g.addInput("learning_rate", ValueType.tensor(DataType.FLOAT, 1));
        Value step = g.addInput("step", ValueType.tensor(DataType.INT64, 1));
        Value params = g.addInput("params", seq);
        Value grads = g.addInput("gradients", seq);
        Value m1 = g.addInput("first_order_moments", seq);
        Value m2 = g.addInput("second_order_moments", seq);
        Node adam = g.addNode("adamw", "com.microsoft", "AdamWOptimizer", List.of(lr, step, params, grads, m1, m2),
                List.of("updated_flag"), List.of(new Attribute.FloatAttr("alpha", BETA1),
                        new Attribute.FloatAttr("beta", BETA2), new Attribute.FloatAttr("epsilon", EPSILON),
                        new Attribute.FloatAttr("weight_decay", 0f), new Attribute.IntAttr("correct_bias", 1),
                        new Attribute.IntAttr("adam_mode", 1)));
        adam.output().setType(ValueType.tensor(DataType.BOOL, 1));
        g.addOutput(adam.output());
        return TestModels.bytes(model(g));
    }

    /**
     * A checkpoint (flatbuffer, identifier ODTC, schema ort_training_checkpoint.fbs, version 2) holding {@code w} as
     * the only trainable parameter, an empty frozen list, and no optimizer state.
     */
    static byte[] checkpoint(float[] w) {
        FlatBufferBuilder b = new FlatBufferBuilder(256);
        int name = b.createString(PARAM);
        b.startVector(8, 1, 8);
        b.addLong(w.length);
        int dims = b.endVector();
        ByteBuffer raw = ByteBuffer.allocate(w.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(w);
        byte[] bytes = raw.array();
        b.startVector(1, bytes.length, 8);
        for (int i = bytes.length - 1; i >= 0; i--) {
            b.addByte(bytes[i]);
        }
        int data = b.endVector();
        b.startTable(6); // Tensor: name, doc_string, dims, data_type, raw_data, string_data
        b.addOffset(0, name, 0);
        b.addOffset(2, dims, 0);
        b.addInt(3, DataType.FLOAT.onnxCode(), 0);
        b.addOffset(4, data, 0);
        int tensor = b.endTable();
        int trainable = b.createVectorOfTables(new int[] {tensor});
        int frozen = b.createVectorOfTables(new int[0]);
        b.startTable(4); // ModuleState: requires_grad_params, frozen_params, is_nominal_state, has_external_data
        b.addOffset(0, trainable, 0);
        b.addOffset(1, frozen, 0);
        int module = b.endTable();
        b.startTable(4); // Checkpoint: version, module_state, optimizer_groups, property_bag
        b.addInt(0, 2, 0);
        b.addOffset(1, module, 0);
        int root = b.endTable();
        b.finish(root, "ODTC");
        return b.sizedByteArray();
    }

    /**
     * ONNX Runtime's AdamW, mode 1 (Hugging Face) with bias correction and no weight decay, in float as the kernel
     * computes it: the reference for one optimizer step at {@code step} (1-based). Updates w, m and v in place.
     */
    static void adamStep(float[] w, float[] m, float[] v, float[] g, float lr, long step) {
        float alphaCorrection = 1f - (float) Math.pow(BETA1, step);
        float betaCorrection = 1f - (float) Math.pow(BETA2, step);
        float lrCorrected = lr * (float) Math.sqrt(betaCorrection) / alphaCorrection;
        for (int i = 0; i < w.length; i++) {
            m[i] = BETA1 * m[i] + (1f - BETA1) * g[i];
            v[i] = BETA2 * v[i] + (1f - BETA2) * g[i] * g[i];
            w[i] = w[i] - lrCorrected * m[i] / ((float) Math.sqrt(v[i]) + EPSILON);
        }
    }
}
