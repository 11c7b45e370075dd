package io.ortune.runtime;

/** Where a session runs. CPU is the default everywhere; CUDA is only used when asked for explicitly. */
public enum ExecutionProvider {
    CPU("CPUExecutionProvider"),
    /** NVIDIA GPUs; needs the GPU build of ONNX Runtime ({@code -Pgpu}), CUDA 13 and cuDNN 9 on the machine. */
    CUDA("CUDAExecutionProvider");

    private final String ortName;

    ExecutionProvider(String ortName) {
        this.ortName = ortName;
    }

    /** The name ONNX Runtime uses in {@code GetAvailableProviders}. */
    public String ortName() {
        return ortName;
    }
}
