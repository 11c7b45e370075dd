package io.ortune.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.inspect.ModelSummary;
import io.ortune.graph.inspect.Parameters;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;
import io.ortune.training.artifacts.OptimizerConfig;
import io.ortune.training.autodiff.TrainableSet;
import io.ortune.training.qlora.Nf4Config;
import io.ortune.training.qlora.Nf4QuantizePass;

import org.junit.jupiter.api.Test;

/**
 * One parameter count everywhere: {@code inspect}/{@code build} ({@link ModelSummary}) and the trainer
 * ({@link ParameterReport}) both give {@link Parameters#count}; constants (scalars, integer shapes) are not
 * parameters, NF4 codes are (by uint8 element).
 */
class ParameterCountTest {

    private static Model gpt2() {
        return ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"gpt2\",\"vocab_size\":96,"
                + "\"n_positions\":32,\"n_embd\":64,\"n_layer\":2,\"n_head\":4}", "tiny gpt2"), 3, Form.TRAINING);
    }

    /** The closed-form GPT-2 count: embeddings, per block 2 LN + attention + MLP, final LN; untied head none. */
    private static long gpt2Closed(long v, long p, long e, long layers) {
        long block = 2 * 2 * e + (e * 3 * e + 3 * e) + (e * e + e) + (e * 4 * e + 4 * e) + (4 * e * e + e);
        return v * e + p * e + layers * block + 2 * e;
    }

    @Test
    void inspectBuildAndTrainerAgree() {
        Model m = gpt2();
        long closed = gpt2Closed(96, 32, 64, 2);
        assertThat(Parameters.count(m)).isEqualTo(closed);
        assertThat(ModelSummary.of(m).parameterCount()).isEqualTo(closed);
        ParameterReport trainer = TrainingGraphs.build(m, TrainableSet.all(), OptimizerConfig.AdamW.defaults(), false)
                .parameters();
        assertThat(trainer.trainableElements() + trainer.frozenElements()).isEqualTo(closed);
    }

    @Test
    void nf4CodesAreFrozenParametersCountedByElement() {
        Model q = new Nf4QuantizePass(Nf4Config.defaults()).quantize(gpt2()).model();
        long codes = q.graph().initializers().values().stream().map(Value::constant)
                .filter(t -> t.dtype() == DataType.UINT8 && t.rank() > 0).mapToLong(t -> t.elementCount()).sum();
        assertThat(codes).as("the pass stores uint8 codes").isPositive();
        ParameterReport trainer = TrainingGraphs.build(q, TrainableSet.matching(".*ln_f.*"),
                OptimizerConfig.AdamW.defaults(), false).parameters();
        assertThat(trainer.trainableElements()).isEqualTo(2 * 64);
        assertThat(trainer.trainableElements() + trainer.frozenElements()).isEqualTo(Parameters.count(q));
        assertThat(ModelSummary.of(q).parameterCount()).isEqualTo(Parameters.count(q));
    }
}
