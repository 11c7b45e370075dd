package io.ortune.export.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.models.arch.ModelForms;
import io.ortune.training.qlora.Nf4Config;
import io.ortune.training.qlora.Nf4QuantizePass;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * QLoRA-aware merging on a tiny Llama: LoRA injected and "trained", the base then NF4-quantized (MatMulBnb4) as QLoRA
 * trains it. Merged into the dequantized NF4 weights it equals the unmerged QLoRA model (ONNX Runtime's MatMulBnb4)
 * within 1e-5 + 1e-5·|b|; merged into the float base it equals the float model with the adapter; the two merges
 * differ by the NF4 quantization error (measured, not zero).
 */
class QloraMergeTest {

    static Model fp;
    static Model fpLora;
    static Model qlora;

    @BeforeAll
    static void build() {
        fp = Fixtures.decoder("llama-tiny-gqa");
        fpLora = Fixtures.trained(new LoraPass(LoraConfig.of("q_proj,v_proj,up_proj").withR(4).withAlpha(8))
                .inject(fp).model(), "default", 31);
        qlora = new Nf4QuantizePass(Nf4Config.defaults()).quantize(fpLora).model();
    }

    @Test
    void mergedIntoDequantizedNf4EqualsTheUnmergedQloraModel() {
        assertThat(qlora.graph().nodes()).anyMatch(n -> "MatMulBnb4".equals(n.opType()));
        MergeResult r = Merges.mergeAndUnload(qlora);
        assertThat(r.model().graph().nodes()).noneMatch(n -> "MatMulBnb4".equals(n.opType()));
        assertThat(r.model().graph().initializers().keySet()).noneMatch(n -> n.endsWith(".nf4") || n.contains("lora"));
        assertThat(r.model().metadataProps()).doesNotContainKey(Nf4QuantizePass.METADATA);
        assertThat(PeftMetadata.adapters(r.model())).isEmpty();
        assertThat(r.model().metadataProps()).doesNotContainKey(Nf4QuantizePass.OUT_IN_METADATA);
        // every weight back in the base's own layout ([out, in] for nn.Linear), so the model rebuilds like the base
        for (var e : fp.graph().initializers().entrySet()) {
            assertThat(r.model().graph().initializer(e.getKey())).as(e.getKey()).isNotNull();
            assertThat(r.model().graph().initializer(e.getKey()).constant().dims()).as(e.getKey() + " shape")
                    .isEqualTo(e.getValue().constant().dims());
        }
        assertThat(ModelForms.toKvCache(r.model())).as("rebuilds into the KV-cache form").isNotNull();
        Map<String, Tensor> feeds = Fixtures.feeds(false);
        Fixtures.assertClose("NF4-dequantized merge vs unmerged QLoRA", Fixtures.run(r.model(), feeds, "logits"),
                Fixtures.run(qlora, feeds, "logits"), Fixtures.ATOL, Fixtures.RTOL);
    }

    @Test
    void mergedIntoTheFloatBaseEqualsTheFloatAdapterModelAndTheMismatchIsReported() {
        MergeResult onFp = Merges.mergeAndUnload(qlora, fp);
        Fixtures.assertShapedLikeBase(onFp.model(), fp);
        Map<String, Tensor> feeds = Fixtures.feeds(false);
        Fixtures.assertClose("float-base merge vs float model + adapter", Fixtures.run(onFp.model(), feeds, "logits"),
                Fixtures.run(fpLora, feeds, "logits"), Fixtures.ATOL, Fixtures.RTOL);
        OutputDifference d = OutputDifference.of(Merges.mergeAndUnload(qlora).model(), onFp.model(), feeds);
        System.out.println("QLoRA merge, NF4-dequantized vs float base: " + d.summary());
        assertThat(d.maxAbs()).as("NF4 rounding of the base shows in the outputs").isGreaterThan(1e-4);
        assertThat(d.meanAbs()).isLessThanOrEqualTo(d.maxAbs());
        Model requantized = new Nf4QuantizePass(Nf4Config.defaults()).quantize(onFp.model()).model();
        assertThat(requantized.graph().nodes()).anyMatch(n -> "MatMulBnb4".equals(n.opType()));
    }

    @Test
    void aBaseThatIsNotTheQloraBaseIsRefused() {
        Model other = Fixtures.decoder("gpt2-tiny");
        assertThatThrownBy(() -> Merges.mergeAndUnload(qlora, other)).isInstanceOf(MergeException.class)
                .hasMessageContaining("--base is not this model's base");
        assertThatThrownBy(() -> Merges.mergeAndUnload(fpLora, fp)).hasMessageContaining("--base is for QLoRA");
    }
}
