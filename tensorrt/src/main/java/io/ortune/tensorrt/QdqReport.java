package io.ortune.tensorrt;

import java.util.List;

/**
 * What {@link QdqCheck} saw: how many Q/DQ nodes, how many weighted ops (MatMul/Gemm/Conv) and how many of them
 * have both inputs dequantized, and the findings.
 *
 * @param qdqNodes             QuantizeLinear + DequantizeLinear nodes (standard domain)
 * @param weightedOps          MatMul, Gemm and Conv nodes with a constant weight
 * @param quantizedWeightedOps weighted ops whose activation and weight inputs both come from DequantizeLinear
 * @param findings             every finding, in graph order
 */
public record QdqReport(int qdqNodes, int weightedOps, int quantizedWeightedOps, List<QdqFinding> findings) {

    public QdqReport {
        findings = List.copyOf(findings);
    }

    /** The model holds explicit quantization at all. */
    public boolean hasQdq() {
        return qdqNodes > 0;
    }

    /** Findings TensorRT would refuse or misread. */
    public List<QdqFinding> errors() {
        return findings.stream().filter(f -> f.severity() == QdqFinding.Severity.ERROR).toList();
    }

    /** Ready for a strongly typed INT8 build: Q/DQ present and no error. */
    public boolean int8Ready() {
        return hasQdq() && errors().isEmpty();
    }

    /** One line: {@code 12 Q/DQ nodes; 4 of 6 weighted ops quantized; 0 errors, 2 warnings, 1 note}. */
    public String summary() {
        long warnings = findings.stream().filter(f -> f.severity() == QdqFinding.Severity.WARNING).count();
        long notes = findings.stream().filter(f -> f.severity() == QdqFinding.Severity.NOTE).count();
        return qdqNodes + " Q/DQ nodes; " + quantizedWeightedOps + " of " + weightedOps + " weighted ops quantized; "
                + errors().size() + " errors, " + warnings + " warnings, " + notes + " notes";
    }
}
