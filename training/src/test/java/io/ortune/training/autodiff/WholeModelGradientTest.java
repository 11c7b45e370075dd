package io.ortune.training.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.weights.SafetensorsFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every parameter gradient of GPT-2 and Llama (GQA) tiny models, built by {@code ModelFactory} in training form with
 * the causal-LM loss appended, against PyTorch float64 gradients (golden files made by
 * {@code tools/torch_reference.py}; see their README for the conventions).
 */
class WholeModelGradientTest {

    /**
     * Relative error of a whole tensor, {@code max|a - b| / max|b|}: robust to entries near zero. The reference is
     * float64 stored as float32 and the script asserts a float32 run stays within 1e-6 of it; 1e-4 leaves room for
     * ONNX Runtime's float32 kernels summing in a different order.
     */
    static final double MAX_RELATIVE_ERROR = 1e-4;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny-gqa"})
    void gradientsMatchPyTorch(String name) throws IOException {
        check(name, AutodiffOptions.defaults());
    }

    @ParameterizedTest(name = "{0} with ONNX Runtime gradient kernels")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny-gqa"})
    void gradientsMatchPyTorchWithOrtKernels(String name) throws IOException {
        check(name, AutodiffOptions.defaults().withOrtGradientKernels(true));
    }

    @ParameterizedTest(name = "{0} with layer recomputation")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny-gqa"})
    void gradientsMatchPyTorchWithRecomputation(String name) throws IOException {
        check(name, AutodiffOptions.defaults().withRecomputeLayers(true));
    }

    static Path golden(String name) {
        return Path.of("src/test/resources/golden", name);
    }

    private static void check(String name, AutodiffOptions options) throws IOException {
        Path dir = golden(name);
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("grads.safetensors")),
                "golden gradients for " + name + " not generated (tools/torch_reference.py --train-out)");
        Model m = CausalLmLoss.append(ModelFactory.fromHuggingFace(dir.resolve("config.json"),
                dir.resolve("model.safetensors"), Form.TRAINING));
        AutodiffResult r = Autodiff.differentiate(m, CausalLmLoss.LOSS, TrainableSet.all(), options);

        JsonNode inputs = new ObjectMapper().readTree(dir.resolve("inputs.json").toFile());
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put("input_ids", longs("input_ids", inputs.get("input_ids")));
        feeds.put("attention_mask", longs("attention_mask", inputs.get("attention_mask")));
        feeds.put(CausalLmLoss.LABELS, longs(CausalLmLoss.LABELS, inputs.get("labels")));
        List<String> outputs = new ArrayList<>(List.of(CausalLmLoss.LOSS));
        r.gradients().values().forEach(v -> outputs.add(v.name()));
        Map<String, Tensor> got = Ort.run(r.model(), feeds, outputs);

        double expectedLoss = new ObjectMapper().readTree(dir.resolve("loss.json").toFile()).get("loss").asDouble();
        assertThat(Ort.scalar(got.get(CausalLmLoss.LOSS))).as("loss").isCloseTo(expectedLoss,
                org.assertj.core.data.Offset.offset(1e-5 * Math.abs(expectedLoss)));
        SafetensorsFile ref = SafetensorsFile.open(dir.resolve("grads.safetensors"));
        {
            assertThat(r.gradients().keySet()).as("parameters with gradients").containsExactlyInAnyOrderElementsOf(
                    ref.names());
            Map<String, Double> errors = new TreeMap<>();
            for (String p : ref.names()) {
                Tensor expected = ref.tensor(p);
                Tensor actual = got.get(r.gradients().get(p).name());
                assertThat(actual.dims()).as("shape of d loss / d %s", p).containsExactly(expected.dims());
                errors.put(p, Closeness.relativeToMax(Ort.values(actual), Ort.values(expected)));
            }
            double worst = errors.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            System.out.printf("%s (%s): %d gradients, worst max|a-b|/max|b| = %.3g, %d nodes emitted%n", name,
                    options.useOrtGradientKernels() ? "ORT kernels" : options.recomputeLayers() ? "recompute"
                    : "standard ops", errors.size(), worst, r.report().nodesEmitted());
            assertThat(worst).as("max relative error (max|a-b| / max|b|) per parameter: %s", errors)
                    .isLessThanOrEqualTo(MAX_RELATIVE_ERROR);
        }
    }

    private static Tensor longs(String name, JsonNode rows) {
        int b = rows.size();
        int t = rows.get(0).size();
        long[] v = new long[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                v[i * t + j] = rows.get(i).get(j).asLong();
            }
        }
        return Tensor.ofLongs(name, new long[] {b, t}, v);
    }
}
