package io.ortune.models.generate;

import io.ortune.graph.ir.DataType;
import io.ortune.models.arch.ModelIo;
import io.ortune.models.config.Gpt2Config;
import io.ortune.models.config.LlamaConfig;
import io.ortune.models.config.ModelConfig;
import io.ortune.runtime.ValueInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the decoding loop needs to know about a KV-cache graph: layer count and cache geometry, vocabulary size, the
 * config's end-of-sequence ids and (for learned positions) the longest sequence it can take. Comes from an
 * ortune-built model's config, or from the signature of any graph named like ortune's (Hugging Face Optimum's).
 *
 * @param layers        decoder layers (pairs of {@code past_key_values.{i}.key|value})
 * @param kvHeads       key/value heads
 * @param headDim       width of one head
 * @param vocab         logits width; 0 when the signature leaves it symbolic (then read from the first logits)
 * @param eosIds        the config's end-of-sequence ids (empty for a model that is not ortune-built)
 * @param maxPositions  longest total sequence the graph can take (GPT-2's learned positions); 0 = no fixed limit
 * @param positionIds   whether the graph takes {@code position_ids}
 */
public record DecoderSpec(int layers, int kvHeads, int headDim, int vocab, Set<Integer> eosIds, int maxPositions,
                          boolean positionIds) {

    public DecoderSpec {
        eosIds = Set.copyOf(new TreeSet<>(eosIds));
        if (layers < 1 || kvHeads < 1 || headDim < 1 || vocab < 0 || maxPositions < 0) {
            throw new IllegalArgumentException("invalid decoder geometry: layers " + layers + ", kv heads " + kvHeads
                    + ", head dim " + headDim + ", vocab " + vocab + ", max positions " + maxPositions);
        }
    }

    /** The spec of an ortune-built decoder of {@code config} ({@code source} names it in messages). */
    public static DecoderSpec fromConfig(ModelConfig config, String source) {
        if (config instanceof Gpt2Config g) {
            Set<Integer> eos = new TreeSet<>();
            g.eosTokenId().ifPresent(eos::add);
            return new DecoderSpec(g.nLayer(), g.nHead(), g.headDim(), g.vocabSize(), eos, g.nPositions(), true);
        }
        if (config instanceof LlamaConfig l) {
            return new DecoderSpec(l.numHiddenLayers(), l.numKeyValueHeads(), l.headDim(), l.vocabSize(),
                    Set.copyOf(l.eosTokenIds()), 0, true);
        }
        throw new IllegalArgumentException(source + " is a '" + config.modelType() + "' model, an encoder: it has no "
                + "KV-cache form and generates nothing");
    }

    /**
     * The spec read off a graph's signature: inputs {@code input_ids}, {@code attention_mask}, optionally
     * {@code position_ids}, and float {@code past_key_values.{i}.key|value} [batch, kv_heads, past, head_dim] with
     * known kv_heads and head_dim; outputs {@code logits} and {@code present.{i}.key|value}.
     *
     * @throws IllegalArgumentException naming what is missing when the graph is not shaped that way
     */
    public static DecoderSpec fromSignature(List<ValueInfo> inputs, List<ValueInfo> outputs, String label) {
        Map<String, ValueInfo> in = byName(inputs);
        Map<String, ValueInfo> out = byName(outputs);
        List<String> problems = new ArrayList<>();
        for (String n : List.of(ModelIo.INPUT_IDS, ModelIo.ATTENTION_MASK, ModelIo.past(0, true))) {
            if (!in.containsKey(n)) {
                problems.add("no input '" + n + "'");
            }
        }
        if (!out.containsKey(ModelIo.LOGITS)) {
            problems.add("no output '" + ModelIo.LOGITS + "'");
        }
        if (!problems.isEmpty()) {
            throw notKvShaped(label, problems, inputs, outputs);
        }
        int layers = 0;
        while (in.containsKey(ModelIo.past(layers, true))) {
            layers++;
        }
        long[] kv = in.get(ModelIo.past(0, true)).dims();
        for (int i = 0; i < layers; i++) {
            checkCache(in.get(ModelIo.past(i, true)), kv, problems);
            checkCache(in.get(ModelIo.past(i, false)), kv, problems);
            if (!out.containsKey(ModelIo.present(i, true)) || !out.containsKey(ModelIo.present(i, false))) {
                problems.add("no outputs '" + ModelIo.present(i, true) + "' / '" + ModelIo.present(i, false) + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw notKvShaped(label, problems, inputs, outputs);
        }
        long[] logits = out.get(ModelIo.LOGITS).dims();
        int vocab = logits.length == 3 && logits[2] > 0 ? Math.toIntExact(logits[2]) : 0;
        return new DecoderSpec(layers, (int) kv[1], (int) kv[3], vocab, Set.of(), 0,
                in.containsKey(ModelIo.POSITION_IDS));
    }

    private static void checkCache(ValueInfo v, long[] first, List<String> problems) {
        if (v == null) {
            problems.add("a past key without its value (or the reverse)");
            return;
        }
        long[] d = v.dims();
        if (v.elementType() != DataType.FLOAT) {
            problems.add("'" + v.name() + "' is " + v.elementType().onnxName() + ", the generator handles float only");
        } else if (d.length != 4 || d[1] <= 0 || d[3] <= 0 || d[1] != first[1] || d[3] != first[3]) {
            problems.add("'" + v.name() + "' is " + v + ", expected [batch, kv_heads, past, head_dim] with known"
                    + " kv_heads and head_dim, the same for every layer");
        }
    }

    private static IllegalArgumentException notKvShaped(String label, List<String> problems, List<ValueInfo> inputs,
                                                        List<ValueInfo> outputs) {
        return new IllegalArgumentException(label + " was not built by ortune (no '" + "ortune.form"
                + "' metadata) and is not KV-cache shaped (" + String.join("; ", problems) + "). Expected inputs "
                + "input_ids, attention_mask, [position_ids,] past_key_values.{i}.key|value and outputs logits, "
                + "present.{i}.key|value; it has inputs " + names(inputs) + " and outputs " + names(outputs)
                + ". Build the model with 'ortune build'.");
    }

    private static Map<String, ValueInfo> byName(List<ValueInfo> values) {
        Map<String, ValueInfo> m = new LinkedHashMap<>();
        for (ValueInfo v : values) {
            m.put(v.name(), v);
        }
        return m;
    }

    private static List<String> names(List<ValueInfo> values) {
        return values.stream().map(ValueInfo::name).limit(12).toList();
    }

    /** {@code past_key_values.{layer}.key|value}. */
    String pastName(int layer, boolean key) {
        return ModelIo.past(layer, key);
    }

    /** Every output the loop reads: logits, then the presents in layer order. */
    List<String> outputNames() {
        List<String> names = new ArrayList<>();
        names.add(ModelIo.LOGITS);
        for (int i = 0; i < layers; i++) {
            names.add(ModelIo.present(i, true));
            names.add(ModelIo.present(i, false));
        }
        return names;
    }

    /** The same spec with the vocabulary size known. */
    DecoderSpec withVocab(int v) {
        return new DecoderSpec(layers, kvHeads, headDim, v, eosIds, maxPositions, positionIds);
    }
}
