package io.ortune.training.peft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.AdapterForms;
import io.ortune.graph.peft.BottleneckAdapterConfig;
import io.ortune.graph.peft.BottleneckAdapterPass;
import io.ortune.graph.peft.DoraPass;
import io.ortune.graph.peft.Ia3Config;
import io.ortune.graph.peft.Ia3Pass;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.PrefixTuningConfig;
import io.ortune.graph.peft.PrefixTuningPass;
import io.ortune.graph.peft.PromptTuningConfig;
import io.ortune.graph.peft.PromptTuningPass;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelForms;
import io.ortune.models.generate.GenerationConfig;
import io.ortune.models.generate.GenerationResult;
import io.ortune.models.generate.Generator;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generation from unmerged adapter models: {@link Generator#of} builds the KV-cache form with the adapters carried by
 * {@link AdapterForms}; the greedy tokens it decodes step by step equal the training form's argmax over the growing
 * sequence, and the KV-cache form's logits at every position equal the training form's.
 */
class AdapterGenerationTest {

    /** KV-cache graph vs training graph is the same math in another order: 1e-4 absolute, as models' tests use. */
    private static final double ATOL = 1e-4;
    private static final int NEW_TOKENS = 6;
    private static final int[] PROMPT = {3, 17, 9, 25};

    @ParameterizedTest
    @CsvSource({"gpt2,lora", "gpt2,dora", "gpt2,ia3", "gpt2,adapter", "gpt2,prefix",
        "llama,lora", "llama,dora", "llama,ia3", "llama,adapter", "llama,prefix"})
    void kvCacheGenerationOfAnAdapterModelFollowsTheTrainingForm(String arch, String method) throws Exception {
        Model base = arch.equals("gpt2") ? PeftModels.gpt2(Form.TRAINING) : PeftModels.llama(Form.TRAINING);
        Model trained = injector(method).apply(base);
        long seed = 5;
        for (String t : PeftMetadata.adapters(trained).get(0).tensors().values()) {
            PeftModels.randomize(trained.graph(), t, t.contains(".ia3_l.") ? 1.0 : 0.3, seed++);
        }

        Model kvBase = ModelForms.toKvCache(AdapterForms.baseWeights(trained));
        assertThat(kvBase.graph().initializers().keySet()).as("no adapter-made tensor in the base")
                .noneMatch(n -> n.contains("lora_") || n.contains("prompt_encoder.") || n.contains(".ia3_l.")
                        || n.contains(".adapter_"));
        Model kv = AdapterForms.transfer(trained, kvBase);
        assertThat(PeftMetadata.adapters(kv)).isEqualTo(PeftMetadata.adapters(trained));
        assertThat(PeftMetadata.trainable(kv)).isEqualTo(PeftMetadata.trainable(trained));

        GenerationConfig greedy = GenerationConfig.builder().maxNewTokens(NEW_TOKENS).doSample(false)
                .stopOnEos(false).build();
        GenerationResult r;
        try (Generator g = Generator.of(trained, PeftModels.OPTIONS)) {
            r = g.generate(PROMPT, greedy);
        }
        int[] ids = r.allIds();
        assertThat(ids).hasSize(PROMPT.length + NEW_TOKENS);
        for (int step = 0; step < NEW_TOKENS; step++) {
            int[] seen = Arrays.copyOf(ids, PROMPT.length + step);
            float[] logits = PeftModels.run(trained, feeds(trained, seen)).get("logits");
            assertThat(argmaxOfLast(logits, seen.length)).as(arch + " " + method + " step " + step)
                    .isEqualTo(ids[seen.length]);
        }
        float[] expected = PeftModels.run(trained, feeds(trained, ids)).get("logits");
        float[] got = PeftModels.run(kv, feeds(kv, ids)).get("logits");
        PeftModels.assertClose(arch + " " + method + ": KV-cache form vs training form logits at every position",
                PeftModels.toDoubles(expected), PeftModels.toDoubles(got), ATOL, 0);
        float[] plain = PeftModels.run(kvBase, feeds(kvBase, ids)).get("logits");
        double diff = 0;
        for (int i = 0; i < plain.length; i++) {
            diff = Math.max(diff, Math.abs(plain[i] - got[i]));
        }
        assertThat(diff).as("the adapter matters").isGreaterThan(100 * ATOL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama"})
    void promptTunedModelsRefuseTheKvCacheFormNamingTheAdapter(String arch) {
        Model base = arch.equals("gpt2") ? PeftModels.gpt2(Form.TRAINING) : PeftModels.llama(Form.TRAINING);
        Model prompted = new PromptTuningPass(PromptTuningConfig.random(3).withAdapterName("p")).inject(base)
                .model();
        assertThatThrownBy(() -> Generator.of(prompted, PeftModels.OPTIONS).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("adapter 'p' (prompt)")
                .hasMessageContaining("prompt tuning on the KV-cache form is not supported");
    }

    private static UnaryOperator<Model> injector(String method) {
        return switch (method) {
            case "lora" -> m -> new LoraPass(LoraConfig.of("all-linear").withR(2)).inject(m).model();
            case "dora" -> m -> new DoraPass(LoraConfig.of("all-linear").withR(2)).inject(m).model();
            case "ia3" -> m -> new Ia3Pass(Ia3Config.defaults()).inject(m).model();
            case "adapter" -> m -> new BottleneckAdapterPass(BottleneckAdapterConfig.defaults()
                    .withStyle(BottleneckAdapterConfig.Style.HOULSBY).withReductionFactor(4)).inject(m).model();
            case "prefix" -> m -> new PrefixTuningPass(PrefixTuningConfig.of(3)).inject(m).model();
            default -> throw new IllegalArgumentException(method);
        };
    }

    /** Feeds for {@code ids} as one row: full mask, positions 0.., empty pasts (KV-cache form). */
    private static Map<String, Tensor> feeds(Model m, int[] ids) {
        int n = ids.length;
        long[] tokens = new long[n];
        long[] ones = new long[n];
        long[] positions = new long[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = ids[i];
            ones[i] = 1;
            positions[i] = i;
        }
        Map<String, Tensor> base = PeftModels.feeds(m, 0);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : base.entrySet()) {
            String k = e.getKey();
            long[] shape = {1, n};
            out.put(k, switch (k) {
                case "input_ids" -> Tensor.ofLongs(k, shape, tokens);
                case "attention_mask" -> Tensor.ofLongs(k, shape, ones);
                case "position_ids" -> Tensor.ofLongs(k, shape, positions);
                default -> e.getValue();
            });
        }
        return out;
    }

    private static int argmaxOfLast(float[] logits, int rows) {
        int vocab = logits.length / rows;
        int best = 0;
        for (int v = 1; v < vocab; v++) {
            if (logits[(rows - 1) * vocab + v] > logits[(rows - 1) * vocab + best]) {
                best = v;
            }
        }
        return best;
    }
}
