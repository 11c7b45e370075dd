package io.ortune.training.peft;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.peft.DoraPass;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraInit;
import io.ortune.graph.peft.LoraPass;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The bundled stories260K checkpoint (trained weights, not random ones) in its KV-cache form. */
class RealWeightsTest {

    private static Model stories(Form form) throws Exception {
        Path file = Path.of(System.getProperty("ortune.root", "..")).resolve("testdata/models/stories260K.bin");
        Assumptions.assumeTrue(Files.isRegularFile(file), "bundled testdata/models/stories260K.bin not found");
        return ModelFactory.fromLlama2c(file, form);
    }

    @Test
    void loraAndDoraAreBitIdenticalAndPissaWithinRounding() throws Exception {
        Model base = stories(Form.KV_CACHE);
        Map<String, Tensor> feeds = PeftModels.feeds(base, 3);
        Map<String, float[]> y0 = PeftModels.run(base, feeds);
        Injection lora = new LoraPass(LoraConfig.of("all-linear").withR(8)).inject(base);
        assertThat(lora.report().skipped()).as("the tied head is left out").isNotEmpty();
        PeftModels.assertIdentical("stories260K LoRA all-linear", y0, PeftModels.run(lora.model(), feeds));
        PeftModels.assertIdentical("stories260K DoRA q,k,v,o", y0, PeftModels.run(new DoraPass(
                LoraConfig.of("q_proj,k_proj,v_proj,o_proj").withR(4)).inject(base).model(), feeds));
        // PiSSA on trained weights: float32 rounding of the residual, as LoraIdentityTest (1e-5 + 1e-4·|y|)
        PeftModels.assertClose("stories260K PiSSA", y0, PeftModels.run(new LoraPass(LoraConfig.of("all-linear")
                .withR(8).withInit(LoraInit.PISSA)).inject(base).model(), feeds), 1e-5, 1e-4);
    }
}
