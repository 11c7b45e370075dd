package io.ortune.pipeline;

import io.ortune.pipeline.config.BaseSection;

/** {@code base:}: one source, its files present. */
final class BaseCheck {

    private BaseCheck() {
    }

    static void check(PipelineConfig c, StageCheck.Issues issues) {
        BaseSection b = c.file().base();
        if (b == null) {
            return;
        }
        if (b.source() == null) {
            issues.add("base", "give exactly one source: bundled, onnx, llama2c or hf-config (with hf-weights)");
        }
        if (b.bundled() != null && !b.bundled().equals(BaseSection.MINILM)) {
            issues.add("base.bundled", "'" + b.bundled() + "' is not bundled; bundled models: " + BaseSection.MINILM);
        }
        if (b.hfConfig() != null && b.hfWeights() == null) {
            issues.add("base.hf-config", "needs hf-weights (a .safetensors file, sharded index or folder)");
        }
        if (b.hfWeights() != null && b.hfConfig() == null) {
            issues.add("base.hf-weights", "goes with hf-config");
        }
        StageOrderCheck.file(c, issues, "base.onnx", b.onnx(), "model file", false);
        StageOrderCheck.file(c, issues, "base.llama2c", b.llama2c(), "llama2.c checkpoint", false);
        StageOrderCheck.file(c, issues, "base.hf-config", b.hfConfig(), "config.json", true);
        StageOrderCheck.file(c, issues, "base.hf-weights", b.hfWeights(), "weights", true);
        StageOrderCheck.file(c, issues, "base.tokenizer", b.tokenizer(), "tokenizer", true);
    }
}
