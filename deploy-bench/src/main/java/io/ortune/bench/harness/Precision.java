package io.ortune.bench.harness;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.onnx.OnnxReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A model's weight precision, read from the ops in its graph: {@code nf4} (MatMulBnb4), {@code int4}
 * (MatMulNBits, or Q/DQ on 4-bit types), {@code int8} (QuantizeLinear/DequantizeLinear, MatMulInteger,
 * DynamicQuantizeLinear, QLinearMatMul, DynamicQuantizeMatMul, MatMulIntegerToFloat, QGemm,
 * QAttention), {@code fp16} (float16 weights), else {@code fp32}; {@code engine} for a
 * TensorRT engine file, {@code unknown} when the file cannot be read as ONNX.
 */
public final class Precision {

    private Precision() {
    }

    /** The precision label of the model in {@code file}. */
    public static String detect(Path file) {
        return detect(file, readOnnx(file));
    }

    /** The precision label of {@code file} whose ONNX model {@link #readOnnx} already read (or did not). */
    static String detect(Path file, Optional<Model> onnx) {
        return isEngine(file) ? "engine" : onnx.map(Precision::of).orElse("unknown");
    }

    /** The ONNX model in {@code file}, or empty for an engine or a file that is not readable ONNX. */
    static Optional<Model> readOnnx(Path file) {
        if (isEngine(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(OnnxReader.read(file));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean isEngine(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".engine") || name.endsWith(".plan") || name.endsWith(".trt");
    }

    /** The precision label of {@code model}. */
    public static String of(Model model) {
        Set<String> ops = new HashSet<>();
        boolean fourBit = false;
        for (Node n : model.graph().nodes()) {
            ops.add(n.opType());
            if (n.opType().equals("DequantizeLinear") && !n.inputs().isEmpty() && n.inputs().get(0) != null) {
                DataType t = n.inputs().get(0).dtype();
                fourBit |= t == DataType.INT4 || t == DataType.UINT4;
            }
        }
        if (ops.contains("MatMulBnb4")) {
            return "nf4";
        }
        if (ops.contains("MatMulNBits") || fourBit) {
            return "int4";
        }
        if (ops.contains("QuantizeLinear") || ops.contains("DequantizeLinear") || ops.contains("MatMulInteger")
                || ops.contains("DynamicQuantizeLinear") || ops.contains("QLinearMatMul")
                || ops.contains("DynamicQuantizeMatMul") || ops.contains("MatMulIntegerToFloat")
                || ops.contains("QGemm") || ops.contains("QAttention")) {
            return "int8";
        }
        boolean half = model.graph().initializers().values().stream()
                .anyMatch(v -> v.dtype() == DataType.FLOAT16);
        return half ? "fp16" : "fp32";
    }
}
