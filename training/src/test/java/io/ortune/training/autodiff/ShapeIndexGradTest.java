package io.ortune.training.autodiff;

import static io.ortune.training.autodiff.Sampler.REAL;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Shape, indexing and assembly ops against central differences. */
class ShapeIndexGradTest {

    static Stream<OpCase> shapes() {
        return Stream.of(
                OpCase.of("Reshape [2,3,4]->[6,4]").in("x", REAL, 2, 3, 4).body((b, x) -> b.reshape(x.get(0), 6, 4)),
                OpCase.of("Reshape with 0 and -1").in("x", REAL, 2, 3, 4).body((b, x) -> b.reshape(x.get(0), 0, -1)),
                OpCase.of("Flatten axis 2").in("x", REAL, 2, 3, 4).body((b, x) -> typed(b.op("", "Flatten", x,
                        new Attribute.IntAttr("axis", 2)), DataType.DOUBLE, 6, 4)),
                OpCase.of("Squeeze").in("x", REAL, 2, 1, 3).body((b, x) -> b.squeeze(x.get(0), 1)),
                OpCase.of("Unsqueeze").in("x", REAL, 2, 3).body((b, x) -> b.unsqueeze(x.get(0), 0, 3)),
                OpCase.of("Transpose perm [2,0,1]").in("x", REAL, 2, 3, 4)
                        .body((b, x) -> b.transpose(x.get(0), 2, 0, 1)),
                OpCase.of("Transpose default (reverse)").in("x", REAL, 2, 3, 4).body((b, x) -> b.transpose(x.get(0))),
                OpCase.of("Expand [3,1] -> [2,3,4]").in("x", REAL, 3, 1)
                        .body((b, x) -> b.expand(x.get(0), b.constLongs(2, 3, 4))),
                OpCase.of("Identity").in("x", REAL, 2, 3).body((b, x) -> b.identity(x.get(0))),
                OpCase.of("Cast float->double->float").float32().in("x", REAL, 2, 3)
                        .body((b, x) -> b.cast(b.mul(b.cast(x.get(0), DataType.DOUBLE),
                                b.constant(Tensor.ofDoubles("k", new long[0], 3.0))), DataType.FLOAT)),
                OpCase.of("Trilu lower, k=1").in("x", REAL, 2, 4, 4).body((b, x) -> b.trilu(x.get(0), false, 1)));
    }

    static Stream<OpCase> indexing() {
        return Stream.of(
                OpCase.of("Concat axis 1").in("a", REAL, 2, 1, 3).in("b", REAL, 2, 2, 3).in("c", REAL, 2, 3, 3)
                        .body((b, x) -> b.concat(1, x.get(0), x.get(1), x.get(2))),
                OpCase.of("Concat axis -1, one input frozen").in("a", REAL, 2, 3).fixed("b", REAL, 2, 2)
                        .body((b, x) -> b.concat(-1, x.get(0), x.get(1))),
                OpCase.of("Split, both parts used").in("x", REAL, 2, 6).body((b, x) -> {
                    List<Value> p = b.split(x.get(0), 1, 2, 4);
                    return b.concat(1, b.mul(p.get(0), p.get(0)), p.get(1));
                }),
                OpCase.of("Split, one part unused").in("x", REAL, 2, 6)
                        .body((b, x) -> b.split(x.get(0), 1, 2, 4).get(1)),
                OpCase.of("Split even").in("x", REAL, 6, 2).body((b, x) -> {
                    List<Value> p = b.splitEven(x.get(0), 0, 3);
                    return b.add(b.mul(p.get(0), p.get(1)), p.get(2));
                }),
                OpCase.of("Slice static").in("x", REAL, 4, 6)
                        .body((b, x) -> b.slice(x.get(0), new long[] {1, 2}, new long[] {3, 5}, null)),
                OpCase.of("Slice negative start, end past the dim").in("x", REAL, 4, 6)
                        .body((b, x) -> b.slice(x.get(0), new long[] {-3}, new long[] {100}, new long[] {1})),
                OpCase.of("Slice step 2").in("x", REAL, 4, 7)
                        .body((b, x) -> b.slice(x.get(0), new long[] {1}, new long[] {7}, new long[] {1},
                                new long[] {2})),
                OpCase.of("Slice negative step").in("x", REAL, 5, 3)
                        .body((b, x) -> b.slice(x.get(0), new long[] {-1}, new long[] {0}, new long[] {0},
                                new long[] {-2})),
                OpCase.of("Slice run-time starts").in("x", REAL, 3, 6).body((b, x) -> {
                    Value start = b.sub(b.shape(x.get(0), 1, 2), b.constLongs(4));
                    return typed(b.slice(x.get(0), start, b.constLongs(6), b.constLongs(1), null),
                            DataType.DOUBLE, 3, 4);
                }),
                OpCase.of("Gather axis 0, repeated indices (embedding)").in("table", REAL, 5, 3)
                        .body((b, x) -> b.gather(x.get(0), ids(b, new long[] {2, 3}, 1, 4, 1, 0, 1, 4), 0)),
                OpCase.of("Gather at opset 13 (no scatter reduction: GatherGrad)").opset(13).in("table", REAL, 5, 3)
                        .body((b, x) -> b.gather(x.get(0), ids(b, new long[] {4}, 1, 4, 1, 0), 0)),
                OpCase.of("GatherElements at opset 13 (GatherElementsGrad)").opset(13).in("x", REAL, 3, 4)
                        .body((b, x) -> b.gatherElements(x.get(0), ids(b, new long[] {3, 2}, 0, 0, 3, 1, 2, 2), 1)),
                OpCase.of("Gather axis 1, 2-D indices").in("x", REAL, 2, 5, 3)
                        .body((b, x) -> b.gather(x.get(0), ids(b, new long[] {2, 2}, 4, 0, 4, 2), 1)),
                OpCase.of("Gather negative indices").in("x", REAL, 5, 2)
                        .body((b, x) -> b.gather(x.get(0), ids(b, new long[] {3}, -1, 0, -1), 0)),
                OpCase.of("Gather scalar index, axis 1").in("x", REAL, 3, 4)
                        .body((b, x) -> b.gather(x.get(0), b.constLong(2), 1)),
                OpCase.of("Gather int32 indices").in("x", REAL, 4, 2)
                        .body((b, x) -> b.gather(x.get(0), b.constant(Tensor.ofInts("i", new long[] {3}, 3, 3, 1)), 0)),
                OpCase.of("GatherElements axis 1, repeated").in("x", REAL, 3, 4)
                        .body((b, x) -> b.gatherElements(x.get(0), ids(b, new long[] {3, 2}, 0, 0, 3, 1, 2, 2), 1)));
    }

    static Value ids(GraphBuilder b, long[] dims, long... values) {
        return b.constant(Tensor.ofLongs("ids", dims, values));
    }

    /** Gives an op the type ortune's schemas cannot infer (Flatten; Slice with run-time starts). */
    static Value typed(Value y, DataType t, long... dims) {
        y.setType(io.ortune.graph.ir.ValueType.tensor(t, io.ortune.graph.ir.Shape.ofLongs(dims)));
        return y;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void shapeOpsMatchCentralDifferences(OpCase c) {
        GradCheck.check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("indexing")
    void indexingOpsMatchCentralDifferences(OpCase c) {
        GradCheck.check(c);
    }
}
