package io.ortune.export.hotswap;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.TargetSpec;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;
import io.ortune.runtime.InferenceSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Random;

/** Tiny ortune-built GPT-2 bases with LoRA adapters whose B (and scaling) are non-zero, for hot-swap tests. */
final class TinyLora {

    private TinyLora() {
    }

    /** A 2-layer GPT-2 of width {@code width}, seeded random weights. */
    static Model gpt2(int width) {
        String json = "{\"model_type\":\"gpt2\",\"vocab_size\":50,\"n_positions\":32,\"n_embd\":" + width
                + ",\"n_layer\":2,\"n_head\":3}";
        return ModelFactory.randomInit(ModelConfigs.parse(json, "tiny-gpt2"), 11, Form.TRAINING);
    }

    /** {@code base} with LoRA {@code name} (rank r, alpha) on every linear layer, A and B seeded random. */
    static Model withLora(Model base, String name, int r, double alpha, long seed) {
        LoraConfig cfg = LoraConfig.of(TargetSpec.ALL_LINEAR).withR(r).withAlpha(alpha).withAdapterName(name)
                .withSeed(seed);
        Model m = new LoraPass(cfg).inject(base).model();
        Random rnd = new Random(seed + 100);
        AdapterInfo info = PeftMetadata.adapter(m, name).orElseThrow();
        for (String init : info.tensors().values()) {
            Value v = m.graph().initializer(init);
            float[] x = new float[(int) v.constant().elementCount()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextGaussian() * 0.3);
            }
            m.graph().setInitializerTensor(v, Tensor.ofFloats(v.name(), v.constant().dims(), x));
        }
        return m;
    }

    /** Two sequences of 5 tokens, full attention mask. */
    static Map<String, Tensor> feeds() {
        long[] ids = {1, 7, 3, 42, 9, 5, 0, 19, 33, 2};
        long[] mask = new long[ids.length];
        java.util.Arrays.fill(mask, 1);
        return Map.of("input_ids", Tensor.ofLongs("input_ids", new long[] {2, 5}, ids),
                "attention_mask", Tensor.ofLongs("attention_mask", new long[] {2, 5}, mask));
    }

    static byte[] bytes(Model m) {
        try {
            return OnnxWriter.toBytes(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The logits of {@code m} on {@link #feeds()} in a fresh session. */
    static Tensor logits(Model m) {
        try (InferenceSession s = InferenceSession.fromBytes(bytes(m))) {
            return s.run(feeds()).get("logits");
        }
    }
}
