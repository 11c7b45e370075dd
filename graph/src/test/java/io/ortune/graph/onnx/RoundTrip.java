package io.ortune.graph.onnx;

import io.ortune.graph.io.ModelPrinter;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.StringData;
import io.ortune.graph.ir.Tensor;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Test helpers: where the test data is, and "these two models are the same IR". */
final class RoundTrip {

    private RoundTrip() {
    }

    /** The repository root: system property {@code ortune.root} (set by surefire), else the module's parent. */
    static Path root() {
        String p = System.getProperty("ortune.root");
        return (p == null || p.isBlank() ? Path.of("..") : Path.of(p)).toAbsolutePath().normalize();
    }

    /** Same printed text (structure, names, types, attributes, docs, kept bytes, hashes) and same tensor bytes. */
    static void assertSameIr(Model actual, Model expected) {
        assertThat(ModelPrinter.print(actual)).isEqualTo(ModelPrinter.print(expected));
        List<Tensor> a = Rebinder.tensors(actual.graph());
        List<Tensor> e = Rebinder.tensors(expected.graph());
        assertThat(a).hasSameSizeAs(e);
        for (int i = 0; i < a.size(); i++) {
            Tensor x = a.get(i);
            Tensor y = e.get(i);
            assertThat(x.name()).isEqualTo(y.name());
            assertThat(x.contentEquals(y)).as("bytes of tensor '%s'", x.name()).isTrue();
            if (!(x.data() instanceof StringData)) {
                assertThat(x.bytes()).as("bytes of tensor '%s'", x.name()).isEqualTo(y.bytes());
            }
        }
    }
}
