package io.ortune.training.autodiff;

import static io.ortune.training.autodiff.Sampler.REAL;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** MatMul (batched, broadcasting, 1-D operands) and Gemm (every transA/transB, alpha, beta, C shapes). */
class LinearGradTest {

    static Stream<OpCase> matMul() {
        return Stream.of(
                mm("MatMul [3,4]@[4,5]", new long[] {3, 4}, new long[] {4, 5}),
                mm("MatMul [2,3,4]@[4,5] (2-D weight)", new long[] {2, 3, 4}, new long[] {4, 5}),
                mm("MatMul [2,3,4]@[2,4,5] batched", new long[] {2, 3, 4}, new long[] {2, 4, 5}),
                mm("MatMul [2,1,3,4]@[3,4,5] broadcast batch", new long[] {2, 1, 3, 4}, new long[] {3, 4, 5}),
                mm("MatMul [3,4]@[2,4,5] 2-D left, batched right", new long[] {3, 4}, new long[] {2, 4, 5}),
                mm("MatMul [4]@[4,5] 1-D left", new long[] {4}, new long[] {4, 5}),
                mm("MatMul [2,3,4]@[4] 1-D right", new long[] {2, 3, 4}, new long[] {4}),
                mm("MatMul [4]@[4] dot", new long[] {4}, new long[] {4}),
                mm("MatMul [4]@[2,4,5] 1-D left, batched right", new long[] {4}, new long[] {2, 4, 5}),
                OpCase.of("MatMul with frozen weight").in("x", REAL, 2, 3, 4).fixed("w", REAL, 4, 5)
                        .body((b, x) -> b.matMul(x.get(0), x.get(1))),
                OpCase.of("MatMul with frozen input").fixed("x", REAL, 2, 3, 4).in("w", REAL, 4, 5)
                        .body((b, x) -> b.matMul(x.get(0), x.get(1))));
    }

    static Stream<OpCase> gemm() {
        List<OpCase> out = new ArrayList<>();
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                long[] a = ta ? new long[] {4, 3} : new long[] {3, 4};
                long[] w = tb ? new long[] {5, 4} : new long[] {4, 5};
                String t = "transA=" + (ta ? 1 : 0) + " transB=" + (tb ? 1 : 0);
                out.add(OpCase.of("Gemm " + t + " alpha=0.7 beta=1.3 C[5]").in("a", REAL, a).in("w", REAL, w)
                        .in("c", REAL, 5).body((b, x) -> b.gemm(x.get(0), x.get(1), x.get(2), 0.7f, 1.3f, ta, tb)));
                out.add(OpCase.of("Gemm " + t + " no C").in("a", REAL, a).in("w", REAL, w)
                        .body((b, x) -> b.gemm(x.get(0), x.get(1), null, 1f, 1f, ta, tb)));
            }
        }
        out.add(OpCase.of("Gemm C[3,5]").in("a", REAL, 3, 4).in("w", REAL, 4, 5).in("c", REAL, 3, 5)
                .body((b, x) -> b.gemm(x.get(0), x.get(1), x.get(2))));
        out.add(OpCase.of("Gemm C[3,1]").in("a", REAL, 3, 4).in("w", REAL, 4, 5).in("c", REAL, 3, 1)
                .body((b, x) -> b.gemm(x.get(0), x.get(1), x.get(2), 1f, 0.5f, false, false)));
        out.add(OpCase.of("Gemm scalar C").in("a", REAL, 3, 4).in("w", REAL, 4, 5).in("c", REAL)
                .body((b, x) -> b.gemm(x.get(0), x.get(1), x.get(2))));
        return out.stream();
    }

    private static OpCase mm(String name, long[] a, long[] w) {
        return OpCase.of(name).in("a", REAL, a).in("w", REAL, w).body((b, x) -> b.matMul(x.get(0), x.get(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matMul")
    void matMulMatchesCentralDifferences(OpCase c) {
        GradCheck.check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gemm")
    void gemmMatchesCentralDifferences(OpCase c) {
        GradCheck.check(c);
    }
}
