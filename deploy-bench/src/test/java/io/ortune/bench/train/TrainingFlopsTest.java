package io.ortune.bench.train;

import io.ortune.models.config.Gpt2Config;
import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TrainingFlopsTest {

    /** E 2, I 8, V 10, L 3, batch 1, seq 2: small enough to count by hand. */
    private static final Gpt2Config TINY = new Gpt2Config(2, 3, 1, 8, 8, 10, 1e-5, "gelu_new", true,
            OptionalInt.empty(), OptionalInt.empty(), 0, 0, 0);

    @Test
    void fullFineTuningIsThreeForwards() {
        TrainingFlops f = TrainingFlops.of(TINY, TrainMode.FULL, 1, 2);
        // P_block = 4·4 + 2·2·8 = 48, P_head = 20, T = 2, A = 4·1·4·2 = 32
        assertThat(f.forward()).isEqualTo(2 * 2 * (3 * 48 + 20) + 3 * 32);
        assertThat(f.total()).isEqualTo(3 * f.forward());
    }

    @Test
    void last2CountsOnlyTheTopBlocksBackward() {
        TrainingFlops f = TrainingFlops.of(TINY, TrainMode.LAST2, 1, 2);
        assertThat(f.backwardActivation()).isEqualTo(2 * 2 * (20 + 2 * 48) + 2 * 2 * 32);
        assertThat(f.backwardWeight()).isEqualTo(2 * 2 * (2 * 48));
    }

    @Test
    void gpt2SmallFullStepIsAboutSixNT() {
        Gpt2Config c = BenchArtifacts.config();
        TrainingFlops f = TrainingFlops.of(c, TrainMode.FULL, 4, 256);
        double matmulParams = 12 * (12.0 * 768 * 768) + 50257.0 * 768;
        double attention = 12 * 12.0 * 4 * 256 * 256 * 768;
        assertThat(f.total()).isCloseTo(6 * matmulParams * 1024 + attention, within(1.0));
    }

    @Test
    void loraCountsAdaptersEverywhereAndNoBaseWeightGradient() {
        TrainingFlops f = TrainingFlops.of(TINY, TrainMode.LORA_QV, 1, 2);
        // P_lora = r·(E + 3E) = 16·8 = 128 on c_attn;
        // block 0's c_attn input gradient (3E² + r·E = 12 + 32) is not needed
        assertThat(TrainingFlops.loraParamsPerBlock(TINY, TrainMode.LORA_QV)).isEqualTo(128);
        assertThat(f.forward()).isEqualTo(2 * 2 * (3 * (48 + 128) + 20) + 3 * 32);
        assertThat(f.backwardActivation()).isEqualTo(2 * 2 * (20 + 3 * (48 + 128) - 44) + 2 * 3 * 32);
        assertThat(f.backwardWeight()).isEqualTo(2 * 2 * 3 * 128);
    }

    @Test
    void gpt2SmallLoraParameterCountsMatchPeft() {
        Gpt2Config c = BenchArtifacts.config();
        // PEFT on GPT-2 small, r 16: c_attn 16·(768+2304) per block; all-linear adds c_proj, c_fc, mlp.c_proj
        assertThat(12 * TrainingFlops.loraParamsPerBlock(c, TrainMode.LORA_QV)).isEqualTo(589_824);
        assertThat(12 * TrainingFlops.loraParamsPerBlock(c, TrainMode.LORA_ALL)).isEqualTo(2_359_296);
        assertThat(TrainingFlops.loraParamsPerBlock(c, TrainMode.FULL)).isZero();
    }
}
