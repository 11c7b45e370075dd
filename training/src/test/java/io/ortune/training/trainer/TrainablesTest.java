package io.ortune.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.ir.Model;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;
import io.ortune.training.autodiff.TrainableSet;
import org.junit.jupiter.api.Test;

/** What trains: flags first, then the model's recorded set, then everything; bad flags named. */
class TrainablesTest {

    @Test
    void aBadRegularExpressionNamesTheFlag() {
        assertThatThrownBy(() -> Trainables.of("[", null, TinyLm.gpt2()))
                .hasMessageStartingWith("--trainable '[' is not a valid regular expression");
    }

    @Test
    void freezingLayersTheModelDoesNotHaveIsRefused() {
        assertThatThrownBy(() -> Trainables.of(null, "5", TinyLm.gpt2()))
                .hasMessage("--freeze-layers 5: the model has layers 0-1, not [5]");
        TrainableSet ok = Trainables.of(null, "0", TinyLm.gpt2());
        assertThat(ok.select(TinyLm.gpt2().graph()).frozen()).isNotEmpty()
                .allMatch(n -> n.startsWith("transformer.h.0."));
    }

    @Test
    void theRecordedSetIsTheDefaultAndFlagsOverrideIt() {
        Model lora = new LoraPass(LoraConfig.of("c_attn").withR(2)).inject(TinyLm.gpt2()).model();
        assertThat(Trainables.of(null, null, lora).select(lora.graph()).trainable()).hasSize(4)
                .allMatch(n -> n.contains(".lora_"));
        assertThat(Trainables.of("transformer\\.ln_f\\..*", null, lora).select(lora.graph()).trainable())
                .containsExactly("transformer.ln_f.weight", "transformer.ln_f.bias");
        assertThat(Trainables.of(null, null, TinyLm.gpt2()).select(TinyLm.gpt2().graph()).frozen()).isEmpty();
    }
}
