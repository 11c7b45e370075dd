package io.ortune.training.autodiff;

import static io.ortune.training.autodiff.Sampler.REAL;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Softmax, LogSoftmax and LayerNormalization against central differences. */
class NormalizationGradTest {

    static Stream<OpCase> cases() {
        return Stream.of(
                OpCase.of("Softmax axis -1").in("x", REAL, 2, 3, 5).body((b, x) -> b.softmax(x.get(0), -1)),
                OpCase.of("Softmax axis 1").in("x", REAL, 2, 3, 5).body((b, x) -> b.softmax(x.get(0), 1)),
                OpCase.of("LogSoftmax axis -1").in("x", REAL, 2, 3, 5).body((b, x) -> b.logSoftmax(x.get(0), -1)),
                OpCase.of("LogSoftmax axis 0").in("x", REAL, 4, 3).body((b, x) -> b.logSoftmax(x.get(0), 0)),
                OpCase.of("LayerNormalization axis -1").in("x", REAL, 2, 3, 8).in("scale", REAL, 8)
                        .in("bias", REAL, 8).body((b, x) -> b.layerNorm(x.get(0), x.get(1), x.get(2), -1, 1e-5f)),
                OpCase.of("LayerNormalization axis 1 (two dims)").in("x", REAL, 2, 3, 4).in("scale", REAL, 3, 4)
                        .in("bias", REAL, 3, 4).body((b, x) -> b.layerNorm(x.get(0), x.get(1), x.get(2), 1, 1e-5f)),
                OpCase.of("LayerNormalization no bias, scale broadcast").in("x", REAL, 2, 3, 4).in("scale", REAL, 4)
                        .body((b, x) -> b.layerNorm(x.get(0), x.get(1), null, 1, 1e-3f)),
                OpCase.of("LayerNormalization frozen scale").in("x", REAL, 3, 6).fixed("scale", REAL, 6)
                        .in("bias", REAL, 6).body((b, x) -> b.layerNorm(x.get(0), x.get(1), x.get(2), -1, 1e-5f)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesCentralDifferences(OpCase c) {
        GradCheck.check(c);
    }
}
