package io.ortune.export.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;

import java.io.IOException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PEFT golden adapters read by {@link PeftAdapterFiles}, checked against the ortune-built base, merged into it by
 * the float64 {@link MergedReference} and run in ONNX Runtime, against the PyTorch logits of tools/peft_golden.py.
 * This pins the file format, key mapping, rank_pattern and rsLoRA scaling independently of the injection passes.
 */
class GoldenMergedReferenceTest {

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-lora", "gpt2-lora-layers", "llama-lora", "bert-lora"})
    void mergedAdapterMatchesPyTorch(String name) throws IOException {
        PeftGolden g = PeftGolden.load(name);
        Model base = g.base();
        PeftAdapter a = PeftAdapterFiles.read(g.dir(), base);
        Tensor logits = PeftGolden.run(MergedReference.merge(base, a), g.feeds()).get("logits");
        Close.assertClose(name + " merged reference", logits, g.expected(), g.compareFlags(), Close.FP32_VS_FP64);
        Tensor plain = PeftGolden.run(base, g.feeds()).get("logits");
        double changed = 0;
        float[] p = plain.toFloats();
        float[] e = g.expected().toFloats();
        boolean[] flags = g.compareFlags();
        int row = (int) e.length / (flags == null ? 1 : flags.length);
        for (int i = 0; i < p.length; i++) {
            if (flags == null || flags[i / row]) {
                changed = Math.max(changed, Math.abs(p[i] - e[i]));
            }
        }
        assertThat(changed).as(name + ": the adapter must change the logits, or this test could not fail")
                .isGreaterThan(1e-2);
    }
}
