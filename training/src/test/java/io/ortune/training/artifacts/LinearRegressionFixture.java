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

    final int d;
    final Model model;
    final Value loss;
    final Map<String, Value> gradients = new LinkedHashMap<>();
    final float[] w0;
    final float[] b0 = {0.1f};
    private final float[] x;
    private final float[] t = {1f, -1f, 0.5f, 2f};

    /** The 3-feature model with fixed small inputs. */
    LinearRegressionFixture() {
        this(3);
    }

    /** A {@code d}-feature model; for d != 3, x and W are drawn from a seeded generator. */
    LinearRegressionFixture(int d) {
        this.d = d;
        if (d == 3) {
            w0 = new float[] {0.5f, -0.25f, 0.125f};
            x = new float[] {1f, 2f, 3f, -1f, 0.5f, 2f, 0f, -2f, 1f, 3f, 1f, -1f};
        } else {
            java.util.Random r = new java.util.Random(d);
            w0 = new float[d];
            x = new float[N * d];
            for (int i = 0; i < d; i++) {
                w0[i] = (float) (0.1 * r.nextGaussian());
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
        }
        Graph g = new Graph("linear_regression");
        Value xv = g.addInput("x", ValueType.tensor(DataType.FLOAT, N, d));
        Value tv = g.addInput("t", ValueType.tensor(DataType.FLOAT, N, 1));
        Value w = g.addInitializer(Tensor.ofFloats("W", new long[] {d, 1}, w0));
        Value b = g.addInitializer(Tensor.ofFloats("b", new long[] {1}, b0));
        Value twoOverN = g.addInitializer(Tensor.scalarFloat("two_over_n", 2f / N));
        Value axes0 = g.addInitializer(Tensor.vectorLong("axes0", 0));

        Value xw = op(g, "MatMul", List.of(xv, w), "xw", List.of());
        Value y = op(g, "Add", List.of(xw, b), "y", List.of());
        y.setType(ValueType.tensor(DataType.FLOAT, N, 1));
        Value diff = op(g, "Sub", List.of(y, tv), "d", List.of());
        Value sq = op(g, "Mul", List.of(diff, diff), "sq", List.of());
        loss = op(g, "ReduceMean", List.of(sq), "loss", List.of(new Attribute.IntAttr("keepdims", 0)));
        loss.setType(ValueType.tensor(DataType.FLOAT));

        Value gy = op(g, "Mul", List.of(diff, twoOverN), "g_y", List.of());
        Value xt = op(g, "Transpose", List.of(xv), "x_t", List.of(Attribute.ints("perm", 1, 0)));
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

    /** The batch inputs x (N×d) and t (N×1). */
    float[] x() {
        return x.clone();
    }

    float[] t() {
        return t.clone();
    }

    Tensor xTensor() {
        return Tensor.ofFloats("x", new long[] {N, d}, x);
    }

    Tensor tTensor() {
        return Tensor.ofFloats("t", new long[] {N, 1}, t);
    }

    /** Hand-computed gradients in double: {dW (d), db (1)} at parameters (w, b). */
    double[][] gradients(float[] w, float[] b) {
        double[] dw = new double[d];
        double db = 0;
        for (int n = 0; n < N; n++) {
            double g = 2.0 * (predict(n, w, b) - t[n]) / N;
            for (int k = 0; k < d; k++) {
                dw[k] += x[n * d + k] * g;
            }
            db += g;
        }
        return new double[][] {dw, {db}};
    }

    double loss(float[] w, float[] b) {
        double sum = 0;
        for (int n = 0; n < N; n++) {
            double e = predict(n, w, b) - t[n];
            sum += e * e;
        }
        return sum / N;
    }

    private double predict(int n, float[] w, float[] b) {
        double y = b[0];
        for (int k = 0; k < d; k++) {
            y += (double) x[n * d + k] * w[k];
        }
        return y;
    }
}
