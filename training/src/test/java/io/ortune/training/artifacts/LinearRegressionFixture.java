package io.ortune.training.artifacts;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * y = xW + b, loss = mean((y - t)^2), with the gradient nodes written by hand (standing in for autodiff):
 * g = 2(y - t)/N, dW = xᵀ·g, db = Σ_batch g. The model outputs the loss and y.
 */
final class LinearRegressionFixture {

    static final int N = 4;
    static final int D = 3;

    final Model model;
    final Value loss;
    final Map<String, Value> gradients = new LinkedHashMap<>();
    final float[] w0 = {0.5f, -0.25f, 0.125f};
    final float[] b0 = {0.1f};

    LinearRegressionFixture() {
        Graph g = new Graph("linear_regression");
        Value x = g.addInput("x", ValueType.tensor(DataType.FLOAT, N, D));
        Value t = g.addInput("t", ValueType.tensor(DataType.FLOAT, N, 1));
        Value w = g.addInitializer(Tensor.ofFloats("W", new long[] {D, 1}, w0));
        Value b = g.addInitializer(Tensor.ofFloats("b", new long[] {1}, b0));
        Value twoOverN = g.addInitializer(Tensor.scalarFloat("two_over_n", 2f / N));
        Value axes0 = g.addInitializer(Tensor.vectorLong("axes0", 0));

        Value xw = op(g, "MatMul", List.of(x, w), "xw", List.of());
        Value y = op(g, "Add", List.of(xw, b), "y", List.of());
        y.setType(ValueType.tensor(DataType.FLOAT, N, 1));
        Value d = op(g, "Sub", List.of(y, t), "d", List.of());
        Value sq = op(g, "Mul", List.of(d, d), "sq", List.of());
        loss = op(g, "ReduceMean", List.of(sq), "loss", List.of(new Attribute.IntAttr("keepdims", 0)));
        loss.setType(ValueType.tensor(DataType.FLOAT));

        Value gy = op(g, "Mul", List.of(d, twoOverN), "g_y", List.of());
        Value xt = op(g, "Transpose", List.of(x), "x_t", List.of(Attribute.ints("perm", 1, 0)));
        Value dw = op(g, "MatMul", List.of(xt, gy), "dW", List.of());
        Value db = op(g, "ReduceSum", List.of(gy, axes0), "db", List.of(new Attribute.IntAttr("keepdims", 0)));
        gradients.put("W", dw);
        gradients.put("b", db);

        g.addOutput(loss);
        g.addOutput(y);
        model = new Model(g);
        model.opsetImports().put("", 17L);
    }

    private static Value op(Graph g, String type, List<Value> in, String out, List<Attribute> attrs) {
        Node n = g.addNode(out + "_" + type, "", type, in, List.of(out), attrs);
        return n.output(0);
    }

    /** A fixed batch: x (N×D), t (N×1). */
    static float[] x() {
        return new float[] {1f, 2f, 3f, -1f, 0.5f, 2f, 0f, -2f, 1f, 3f, 1f, -1f};
    }

    static float[] t() {
        return new float[] {1f, -1f, 0.5f, 2f};
    }

    /** Hand-computed gradients in double: {dW (D), db (1)} at parameters (w, b). */
    static double[][] gradients(float[] w, float[] b) {
        float[] x = x();
        float[] t = t();
        double[] dw = new double[D];
        double db = 0;
        for (int n = 0; n < N; n++) {
            double y = b[0];
            for (int k = 0; k < D; k++) {
                y += (double) x[n * D + k] * w[k];
            }
            double g = 2.0 * (y - t[n]) / N;
            for (int k = 0; k < D; k++) {
                dw[k] += x[n * D + k] * g;
            }
            db += g;
        }
        return new double[][] {dw, {db}};
    }

    static double loss(float[] w, float[] b) {
        float[] x = x();
        float[] t = t();
        double sum = 0;
        for (int n = 0; n < N; n++) {
            double y = b[0];
            for (int k = 0; k < D; k++) {
                y += (double) x[n * D + k] * w[k];
            }
            sum += (y - t[n]) * (y - t[n]);
        }
        return sum / N;
    }
}
