package io.ortune.training.autodiff;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.Value;

import java.util.List;

/**
 * The Gather gradient in standard ops: ScatterND with add-reduction into zeros. ScatterND indexes the leading
 * axis, so for {@code axis > 0} the gathered axis is moved to the front and back again.
 */
final class GatherScatter {

    private GatherScatter() {
    }

    /**
     * @param data    the gathered tensor (rank {@code r})
     * @param indices int64 indices, negatives already wrapped (rank {@code q})
     * @param g       gradient of the gather output: data[:a] + indices + data[a+1:]
     */
    static Value scatterAdd(GradContext c, Value data, Value indices, Value g, int a, int r, int q) {
        GraphBuilder b = c.builder();
        Value idx = b.unsqueeze(indices, -1);
        if (a == 0) {
            return scatterNd(b, c.zerosLike(data), idx, g);
        }
        long[] permG = new long[r + q - 1];
        int k = 0;
        for (int i = 0; i < q; i++) {
            permG[k++] = a + i;
        }
        for (int i = 0; i < a; i++) {
            permG[k++] = i;
        }
        for (int i = a + q; i < r + q - 1; i++) {
            permG[k++] = i;
        }
        Value gT = b.transpose(g, permG);
        Value shapeT = axisFirstShape(c, data, a, r);
        Value zerosT = b.constantOfShape(shapeT, IndexGrads.zeroOf(data));
        Value scattered = scatterNd(b, zerosT, idx, gT);
        long[] back = new long[r];
        for (int j = 0; j < r; j++) {
            back[j] = j < a ? j + 1 : j == a ? 0 : j;
        }
        return b.transpose(scattered, back);
    }

    private static Value scatterNd(GraphBuilder b, Value zeros, Value idx, Value updates) {
        return b.op("", "ScatterND", List.of(zeros, idx, updates), new Attribute.StringAttr("reduction", "add"));
    }

    /** data's shape with axis {@code a} moved to the front. */
    private static Value axisFirstShape(GradContext c, Value data, int a, int r) {
        GraphBuilder b = c.builder();
        long[] dims = GradContext.staticDims(data);
        if (dims != null) {
            long[] t = new long[r];
            t[0] = dims[a];
            for (int j = 0, k = 1; j < r; j++) {
                if (j != a) {
                    t[k++] = dims[j];
                }
            }
            return b.constLongs(t);
        }
        return b.concat(0, b.shape(data, a, a + 1), b.shape(data, 0, a), b.shape(data, a + 1, r));
    }
}
