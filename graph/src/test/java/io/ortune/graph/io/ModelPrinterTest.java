package io.ortune.graph.io;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The text form shows what makes two models different. */
class ModelPrinterTest {

    static Model tiny(float weight) {
        Graph g = new Graph("g");
        Value x = g.addInput("x", ValueType.tensor(DataType.FLOAT, "n", 2));
        Value w = g.addInitializer(Tensor.ofFloats("w", new long[] {2}, weight, 2f));
        Node mul = g.addNode("mul", "", "Mul", List.of(x, w), List.of("y"), null);
        mul.setDocString("line one\nline \"two\"");
        g.addOutput(mul.output());
        Model m = new Model(g);
        m.opsetImports().put("", 21L);
        return m;
    }

    @Test
    void printsAReadableCompleteForm() {
        String text = ModelPrinter.print(tiny(1f));
        assertThat(text).contains(
                "model ir_version=9",
                "opsets \"\":21",
                "graph \"g\" {",
                "input %x: float[n,2]",
                "initializer %w = float[2] 8 bytes #",
                "%y = Mul(%x, %w) name=\"mul\"",
                "doc \"line one\\nline \\\"two\\\"\"",
                "output %y: ?");
    }

    @Test
    void differentContentOrWiringPrintsDifferently() {
        assertThat(ModelPrinter.print(tiny(1f))).isEqualTo(ModelPrinter.print(tiny(1f)));
        assertThat(ModelPrinter.print(tiny(1f))).isNotEqualTo(ModelPrinter.print(tiny(3f)));
        assertThat(ModelPrinter.print(tiny(1f), false)).isEqualTo(ModelPrinter.print(tiny(3f), false));

        // A second value named like the first is told apart.
        Model m = tiny(1f);
        Graph g = m.graph();
        Value impostor = g.addInput("x", ValueType.tensor(DataType.FLOAT, 2));
        g.nodes().get(0).setInput(0, impostor);
        assertThat(ModelPrinter.print(m)).contains("%y = Mul(%x#2, %w)");
    }
}
