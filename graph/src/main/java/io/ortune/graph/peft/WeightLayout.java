package io.ortune.graph.peft;

/** How a linear node reads its 2-D weight. */
public enum WeightLayout {
    /** {@code y = x · W} with W stored {@code [in, out]}: HF Conv1D (GPT-2, PEFT's {@code fan_in_fan_out}), or an exporter's pre-transposed weight. */
    IN_OUT,
    /** {@code y = x · Wᵀ} with W stored {@code [out, in]} (PyTorch {@code nn.Linear}): {@code MatMul(x, Transpose(W))} or {@code Gemm(transB=1)}. */
    OUT_IN
}
