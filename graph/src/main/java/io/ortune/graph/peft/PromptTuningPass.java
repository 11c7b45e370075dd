package io.ortune.graph.peft;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code prompt}: prompt tuning (Lester et al. 2021, PEFT's {@code PROMPT_TUNING}): N learned embedding rows
 * prepended to the token embeddings, as PEFT feeds {@code inputs_embeds = cat(prompt, embed(input_ids))}.
 *
 * <p>The rewrite, on the training form (or any model fed {@code input_ids} [batch, sequence]):
 * <ul>
 *   <li>the output of the embedding {@code Gather(table, input_ids)} becomes {@code Concat(prompt, embeddings)}
 *       along the sequence axis, so the model runs over N + T positions;</li>
 *   <li>every other reader of {@code input_ids} (sequence-length and position computations) reads N placeholder
 *       ids (0) followed by the user's ids; {@code attention_mask} gets N ones in front, as PEFT prepends them;
 *       every other int64 input of shape [batch, sequence] ({@code token_type_ids}) gets N zeros in front, as
 *       PEFT does for {@code token_type_ids};</li>
 *   <li>every graph output with the sequence axis at position 1 ({@code logits}, {@code last_hidden_state}) drops
 *       its first N positions, so outputs keep the user's sequence length.</li>
 * </ul>
 *
 * <p><b>Positions.</b> Implicit positions are derived from the extended sequence, as in PEFT: ortune decoders take
 * {@code max(cumsum(attention_mask) − 1, 0)}, so the user's tokens sit at positions N.. behind visible virtual
 * tokens (PEFT's behaviour), and at their base positions when the virtual tokens are masked out; BERT-style
 * encoders count positions 0.. over all N + T slots (PEFT's behaviour too). The virtual tokens' mask values live in
 * the int64 initializer {@code prompt_encoder.<adapter>.attention_mask} [1, N] (ones); setting it to zeros hides the
 * prompt. Models fed explicit {@code position_ids}, such as the KV-cache form (where the prompt would go in at
 * prefill only), are refused.
 *
 * <p>The trainable tensor is {@code prompt_encoder.<adapter>.embedding.weight} [N, hidden] (PEFT's in-memory name);
 * the adapter file key is {@code prompt_embeddings}.
 */
public final class PromptTuningPass implements InjectionPass {

    public static final String NAME = "prompt";
    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";

    private final PromptTuningConfig config;

    public PromptTuningPass(PromptTuningConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }


    /**
     * Copies {@code model} and prepends the prompt in the copy.
     *
     * @throws IllegalArgumentException for a model without {@code input_ids} or without an embedding Gather on it, a
     *                                  KV-cache model, explicit {@code position_ids}, an init token id outside the
     *                                  vocabulary, or an adapter name already used
     */
    public Injection inject(Model model) {
        InjectionRecords.requireNewAdapter(model, config.adapterName());
        Model m = GraphCopier.copy(model);
        Graph g = m.graph();
        Value ids = requireInput(g, INPUT_IDS);
        refuseExplicitPositions(g);
        Node gather = embeddingGather(g, ids);
        Value table = gather.input(0);
        int n = config.numVirtualTokens();
        long hidden = table.constant().dims()[1];
        String a = config.adapterName();
        String promptName = "prompt_encoder." + a + ".embedding.weight";
        String maskName = "prompt_encoder." + a + ".attention_mask";
        GraphEdit edit = new GraphEdit(m);
        Value prompt = edit.initializer(promptName, initialRows(table, n, promptName));
        Value promptMask = edit.initializer(maskName, Tensor.ofLongs(maskName, new long[] {1, n}, ones(n)));
        List<String> notes = new ArrayList<>();
        edit.in("prompt_encoder." + a, () -> {
            Value idsShape = edit.shape(ids);
            Value batch = edit.slice(idsShape, new long[] {0}, new long[] {1}, new long[] {0});
            Value rows = edit.expand(edit.reshape(prompt, 1, n, hidden), edit.concat(0, batch, edit.longs(1, 1)));
            Value embeds = gather.output();
            Value joined = edit.concat(1, rows, embeds);
            edit.rerouteUses(embeds, joined, joined.producer());
            Value fill = edit.constant(Tensor.ofLongs("value", new long[] {1, n}, new long[n]));
            Value batchByOne = edit.concat(0, batch, edit.longs(1));
            for (Value in : List.copyOf(g.inputs())) {
                if (in.isInitializer() || !isBatchBySequence(in, ids)) {
                    continue;
                }
                boolean isMask = in.name().equals(ATTENTION_MASK);
                Value front = edit.expand(isMask ? promptMask : fill, batchByOne);
                Value extended = edit.concat(1, front, in);
                edit.rerouteUses(in, extended, extended.producer(), gather, idsShape.producer());
                notes.add(in.name() + ": " + n + (isMask ? " ones" : " zeros") + " prepended");
            }
            return null;
        });
        dropVirtualOutputs(edit, g, ids, n, notes);
        edit.sort();

        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("peft_type", PeftMethod.PROMPT.peftType());
        cfg.put("num_virtual_tokens", Integer.toString(n));
        cfg.put("token_dim", Long.toString(hidden));
        cfg.put("num_transformer_submodules", "1");
        cfg.put("prompt_tuning_init", config.init() == PromptTuningConfig.Init.VOCAB ? "SAMPLE_VOCAB"
                : config.init().name());
        if (config.init() == PromptTuningConfig.Init.TEXT) {
            cfg.put("prompt_tuning_init_token_ids", joinIds(config.initTokenIds()));
        }
        cfg.put("seed", Long.toString(config.seed()));
        Map<String, String> tensors = Map.of("prompt_embeddings", promptName);
        AdapterInfo info = new AdapterInfo(a, PeftMethod.PROMPT, cfg, tensors);
        List<String> injected = new ArrayList<>();
        injected.add(String.format(Locale.ROOT, "%s: %d virtual tokens of width %d prepended to the output of %s",
                promptName, n, hidden, gather.name()));
        injected.addAll(notes);
        return new Injection(m, InjectionRecords.finish(m, info, injected, List.of()));
    }

    static Value requireInput(Graph g, String name) {
        for (Value v : g.inputs()) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("graph '" + g.name() + "' has no input '" + name + "' (inputs: "
                + g.inputs().stream().map(Value::name).toList() + ")");
    }

    private static void refuseExplicitPositions(Graph g) {
        for (Value v : g.inputs()) {
            if (v.name().startsWith("past_key_values.")) {
                throw new IllegalArgumentException("prompt tuning on the KV-cache form is not supported (the prompt "
                        + "would go in at prefill only, and graph '" + g.name() + "' takes '" + v.name()
                        + "'): inject into the training form and build the KV-cache form from it");
            }
        }
        for (Value v : g.inputs()) {
            if (v.name().equals("position_ids")) {
                throw new IllegalArgumentException("graph '" + g.name() + "' is fed explicit position_ids: prompt "
                        + "tuning needs positions derived inside the graph (PEFT ignores given position ids too)");
            }
        }
    }

    /** The Gather reading rows of a 2-D float initializer at {@code ids}. */
    private static Node embeddingGather(Graph g, Value ids) {
        for (Node n : ids.consumers()) {
            if (n.is("Gather") && n.input(1) == ids && n.intAttr("axis", 0) == 0 && n.input(0).isInitializer()
                    && n.input(0).constant().rank() == 2 && n.input(0).constant().dtype().isFloatingPoint()) {
                return n;
            }
        }
        throw new IllegalArgumentException("graph '" + g.name() + "': no embedding Gather(table, input_ids) found "
                + "(readers of input_ids: " + ids.consumers() + ")");
    }

    /** An int64 input of the same [batch, sequence] shape as {@code input_ids}. */
    private static boolean isBatchBySequence(Value v, Value ids) {
        Shape s = v.shape();
        Shape t = ids.shape();
        return v.dtype() == DataType.INT64 && s != null && t != null && s.hasRank() && t.hasRank() && s.rank() == 2
                && t.rank() == 2 && s.dim(1).equals(t.dim(1)) && !(s.dim(1) instanceof Dim.Unknown);
    }

    /** Outputs whose axis 1 is the sequence axis of {@code input_ids} lose the first {@code n} positions. */
    private static void dropVirtualOutputs(GraphEdit edit, Graph g, Value ids, int n, List<String> notes) {
        for (Value out : List.copyOf(g.outputs())) {
            Shape s = out.shape();
            if (s == null || !s.hasRank() || s.rank() < 2 || !s.dim(1).equals(ids.shape().dim(1))
                    || s.dim(1) instanceof Dim.Unknown) {
                continue;
            }
            Value sliced = edit.in("prompt_encoder", () -> edit.slice(out, new long[] {n}, new long[] {Long.MAX_VALUE},
                    new long[] {1}));
            sliced.setType(out.type());
            edit.rerouteOutputs(out, sliced);
            notes.add(sliced.name() + ": the " + n + " virtual positions are dropped");
        }
    }

    private Tensor initialRows(Value table, int n, String name) {
        long[] dims = table.constant().dims();
        DataType dt = table.constant().dtype();
        long vocab = dims[0];
        int hidden = (int) dims[1];
        if (config.init() == PromptTuningConfig.Init.RANDOM) {
            return AdapterTensors.normal(name, dt, new long[] {n, hidden}, 1.0, new SplittableRandom(config.seed()));
        }
        long[] rows = new long[n];
        if (config.init() == PromptTuningConfig.Init.TEXT) {
            long[] text = config.initTokenIds();
            for (int i = 0; i < n; i++) {
                rows[i] = text[i % text.length];
            }
        } else {
            SplittableRandom rnd = new SplittableRandom(config.seed());
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                long r = rnd.nextLong(vocab);
                while (n <= vocab && !seen.add(r)) {
                    r = rnd.nextLong(vocab);
                }
                rows[i] = r;
            }
        }
        double[] all = AdapterTensors.values(table.constant());
        double[] out = new double[n * hidden];
        for (int i = 0; i < n; i++) {
            if (rows[i] < 0 || rows[i] >= vocab) {
                throw new IllegalArgumentException("prompt init token id " + rows[i] + " is outside the vocabulary of "
                        + "'" + table.name() + "' (" + vocab + " rows)");
            }
            System.arraycopy(all, (int) (rows[i] * hidden), out, i * hidden, hidden);
        }
        return AdapterTensors.of(name, dt, new long[] {n, hidden}, out);
    }

    private static long[] ones(int n) {
        long[] v = new long[n];
        java.util.Arrays.fill(v, 1);
        return v;
    }

    private static String joinIds(long[] ids) {
        StringBuilder sb = new StringBuilder();
        for (long id : ids) {
            sb.append(sb.length() == 0 ? "" : ",").append(id);
        }
        return sb.toString();
    }
}
