package io.ortune.tensorrt;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.tensorrt.QdqFinding.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Strongly typed INT8 readiness of a QDQ model, read from the IR without TensorRT. It checks what TensorRT's
 * explicit quantization needs and the placement it fuses well:
 * <ul>
 *   <li>every QuantizeLinear/DequantizeLinear is in the standard domain, int8, with a constant positive scale and a
 *       zero point of 0 (symmetric);</li>
 *   <li>MatMul, Gemm and Conv take both inputs from DequantizeLinear (otherwise they stay in float);</li>
 *   <li>weight scales are per channel along the output-channel axis (MatMul {@code [K,N]}: last axis; Gemm: axis 1,
 *       or 0 with {@code transB=1}; Conv: axis 0), activation scales per tensor;</li>
 *   <li>a skip-connection Add fed by a quantized weighted op has Q/DQ on its residual input.</li>
 * </ul>
 * Only the main graph is walked (If/Loop bodies are not).
 *
 * <pre>{@code
 * QdqReport r = QdqCheck.check(OnnxReader.read(Path.of("model-int8.onnx")));
 * if (!r.int8Ready()) r.findings().forEach(System.out::println);
 * }</pre>
 */
public final class QdqCheck {

    static final Set<String> QDQ = Set.of("QuantizeLinear", "DequantizeLinear");
    static final Set<String> WEIGHTED = Set.of("MatMul", "Gemm", "Conv");

    private final List<QdqFinding> findings = new ArrayList<>();
    private int qdqNodes;
    private int weightedOps;
    private int quantizedOps;

    private QdqCheck() {
    }

    /** Checks a model's main graph. */
    public static QdqReport check(Model model) {
        QdqCheck c = new QdqCheck();
        Graph g = model.graph();
        for (Node n : g.nodes()) {
            if (QDQ.contains(n.opType())) {
                c.qdqNode(n);
            } else if (WEIGHTED.contains(n.opType()) && isStandard(n)) {
                c.weightedOp(n);
            } else if (n.is("Add") && isStandard(n)) {
                c.residualAdd(n);
            }
        }
        return new QdqReport(c.qdqNodes, c.weightedOps, c.quantizedOps, c.findings);
    }

    private void qdqNode(Node n) {
        if (!isStandard(n)) {
            add(Severity.ERROR, n, "is in domain '" + n.domain() + "'; TensorRT parses only the standard ONNX "
                    + n.opType());
            return;
        }
        qdqNodes++;
        Tensor scale = n.inputCount() > 1 ? QdqTensors.constant(n.input(1)) : null;
        if (scale == null) {
            add(Severity.ERROR, n, "scale is not a constant; TensorRT needs constant Q/DQ scales");
        } else if (!QdqTensors.allPositive(scale)) {
            add(Severity.ERROR, n, "scale '" + scale.name() + "' has a value that is not a finite positive number");
        }
        zeroPoint(n);
    }

    private void zeroPoint(Node n) {
        Value zp = n.inputCount() > 2 ? n.input(2) : null;
        if (zp == null) {
            if (n.is("QuantizeLinear") && n.attribute("output_dtype") == null) {
                add(Severity.ERROR, n, "has no zero point, so ONNX makes its output uint8; give an int8 zero point"
                        + " of 0 (symmetric)");
            }
            return;
        }
        Tensor t = QdqTensors.constant(zp);
        if (t == null) {
            add(Severity.ERROR, n, "zero point '" + zp.name() + "' is not a constant; TensorRT needs a constant 0");
        } else if (t.dtype() != DataType.INT8) {
            add(Severity.ERROR, n, "zero point '" + zp.name() + "' is " + t.dtype().onnxName() + "; TensorRT INT8"
                    + " needs int8 Q/DQ with zero point 0");
        } else if (!QdqTensors.allZero(t)) {
            add(Severity.ERROR, n, "zero point '" + zp.name() + "' is not 0 (asymmetric); TensorRT needs symmetric"
                    + " quantization (zero point 0)");
        }
    }

    private void weightedOp(Node n) {
        int weightIndex = weightInput(n);
        if (weightIndex < 0) {
            if (n.is("MatMul") && dequantized(n.input(0)) && dequantized(n.input(1))) {
                quantizedOps++;
            }
            return;
        }
        weightedOps++;
        int activationIndex = weightIndex == 1 ? 0 : 1;
        Value w = n.input(weightIndex);
        Value x = n.input(activationIndex);
        boolean wq = dequantized(w);
        boolean xq = dequantized(x);
        if (!wq) {
            add(Severity.WARNING, n, "weight '" + w.name() + "' has no DequantizeLinear; this " + n.opType()
                    + " stays in float");
        } else {
            weightScale(n, w.producer());
        }
        if (!xq) {
            add(Severity.WARNING, n, "input '" + x.name() + "' has no Q/DQ; this " + n.opType()
                    + " stays in float");
        } else if (!QdqTensors.isScalar(QdqTensors.constant(x.producer().input(1)))) {
            add(Severity.WARNING, n, "input '" + x.name() + "' has a per-channel activation scale; TensorRT fuses"
                    + " per-tensor activation scales");
        }
        if (wq && xq) {
            quantizedOps++;
        }
    }

    /** The index of the constant weight input (through a DequantizeLinear), or -1 when both inputs are computed. */
    private static int weightInput(Node n) {
        if (n.inputCount() < 2) {
            return -1;
        }
        if (!n.is("MatMul")) {
            return QdqTensors.isWeight(n.input(1)) ? 1 : -1;
        }
        if (QdqTensors.isWeight(n.input(1))) {
            return 1;
        }
        return QdqTensors.isWeight(n.input(0)) ? 0 : -1;
    }

    private void weightScale(Node op, Node dq) {
        Tensor scale = QdqTensors.constant(dq.input(1));
        Tensor weight = QdqTensors.constant(dq.input(0));
        if (scale == null || weight == null) {
            return;
        }
        int expected = outputChannelAxis(op, weight.rank());
        if (QdqTensors.isScalar(scale)) {
            add(Severity.NOTE, dq, "weight '" + weight.name() + "' has one per-tensor scale; per-channel scales"
                    + " (axis " + expected + ") keep more accuracy at the same speed");
            return;
        }
        int rank = weight.rank();
        long axisAttr = dq.intAttr("axis", 1);
        int axis = (int) (axisAttr < 0 ? axisAttr + rank : axisAttr);
        if (axis != expected) {
            add(Severity.ERROR, dq, "weight '" + weight.name() + "' " + java.util.Arrays.toString(weight.dims())
                    + " is scaled per channel along axis " + axis + ", but " + op.opType() + " '" + op.name()
                    + "' has its output channels on axis " + expected);
        } else if (scale.elementCount() != weight.dims()[axis]) {
            add(Severity.ERROR, dq, "weight '" + weight.name() + "' has " + weight.dims()[axis] + " channels on axis "
                    + axis + " but its scale has " + scale.elementCount() + " values");
        }
    }

    /** Where the output channels of a weighted op's weight are. */
    static int outputChannelAxis(Node op, int weightRank) {
        return switch (op.opType()) {
            case "Conv" -> 0;
            case "Gemm" -> op.intAttr("transB", 0) == 1 ? 0 : 1;
            default -> Math.max(weightRank - 1, 0);
        };
    }

    private void residualAdd(Node add) {
        if (add.inputCount() != 2) {
            return;
        }
        for (int i = 0; i < 2; i++) {
            Value branch = add.input(i);
            Value skip = add.input(1 - i);
            if (fromQuantizedWeightedOp(branch) && !dequantized(skip) && QdqTensors.constant(skip) == null
                    && skip.producer() != null && !fromQuantizedWeightedOp(skip)) {
                add(Severity.NOTE, add, "residual input '" + skip.name() + "' has no Q/DQ; with one TensorRT can"
                        + " fuse this Add into " + branch.producer().opType() + " '" + branch.producer().name() + "'");
                return;
            }
        }
    }

    private static boolean fromQuantizedWeightedOp(Value v) {
        Node p = v.producer();
        if (p == null || !WEIGHTED.contains(p.opType())) {
            return false;
        }
        return p.inputCount() >= 2 && dequantized(p.input(0)) && dequantized(p.input(1));
    }

    private static boolean dequantized(Value v) {
        Node p = v.producer();
        return p != null && p.is("DequantizeLinear") && isStandard(p);
    }

    static boolean isStandard(Node n) {
        return n.domain() == null || n.domain().isEmpty() || n.domain().equals("ai.onnx");
    }

    private void add(Severity s, Node n, String message) {
        String name = n.name() == null || n.name().isEmpty() ? n.opType() + " (unnamed)" : n.name();
        findings.add(new QdqFinding(s, name, message));
    }
}
