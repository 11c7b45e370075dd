package io.ortune.graph.peft;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code prefix}: prefix tuning (Li &amp; Liang 2021, PEFT's {@code PREFIX_TUNING}): in every attention
 * ({@link AttentionMatcher}) P learned key and value vectors per key/value head are concatenated in front of the
 * keys and values along the sequence axis, and the additive mask gets P visible columns in front, so every query
 * (causal or not) attends to all P prefix positions.
 *
 * <p><b>Layout</b> (PEFT's, for its saved {@code prompt_embeddings}): one tensor {@code [P, L·2·kv_heads·head_dim]};
 * for layer l (in layer order) its keys are entry {@code 2l} and its values entry {@code 2l+1} of the second axis
 * of the view {@code [P, L·2, kv_heads, head_dim]} (PEFT's {@code get_prompt} view and permute). With grouped-query
 * attention the prefix has the key/value heads and joins the keys before they are repeated for the query heads.
 * Without reparameterization it is {@code prompt_encoder.<adapter>.embedding.weight}, normal(0, 1) like PEFT's
 * {@code nn.Embedding}; with it, PEFT's {@code prefix_projection} MLP {@code Linear(kv_heads·head_dim, encoder_hidden)
 * → Tanh → Linear(encoder_hidden, L·2·kv_heads·head_dim)} over an embedding {@code [P, kv_heads·head_dim]}
 * ({@code transform.0}, {@code transform.2}; PyTorch's default Linear init) computes it, and PEFT's file key
 * {@code prompt_embeddings} is that MLP's output (an exporter evaluates it).
 *
 * <p><b>Masks and positions.</b> The prefix columns' mask values live in the int64 initializer
 * {@code prompt_encoder.<adapter>.attention_mask} [1, P] (ones, as PEFT prepends ones); zeros hide the prefix. The
 * user's tokens keep their positions (Hugging Face would put them at P.. when positions are implicit, since it feeds
 * the prefix as a cache of length P; ortune's training form derives positions from the user's mask). In the
 * KV-cache form the prefix joins in front of {@code past + new} at every step while {@code present} outputs stay
 * without it, so cached decoding equals the training form.
 */
public final class PrefixTuningPass implements InjectionPass {

    public static final String NAME = "prefix";

    private final PrefixTuningConfig config;

    public PrefixTuningPass(PrefixTuningConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }


    /**
     * Copies {@code model} and adds the prefixes in the copy.
     *
     * @throws IllegalArgumentException when no attention is found, attentions differ in heads or head size, or the
     *                                  adapter name is taken
     */
    public Injection inject(Model model) {
        InjectionRecords.requireNewAdapter(model, config.adapterName());
        Model m = GraphCopier.copy(model);
        Graph g = m.graph();
        List<AttentionSite> sites = AttentionMatcher.find(g);
        if (sites.isEmpty()) {
            throw new IllegalArgumentException("prefix tuning: graph '" + g.name() + "' has no attention of the form "
                    + "Softmax(MatMul(q, kT) * scale + mask) . v");
        }
        long kvHeads = sites.get(0).kvHeads();
        long headDim = sites.get(0).headDim();
        for (AttentionSite s : sites) {
            if (s.kvHeads() != kvHeads || s.headDim() != headDim) {
                throw new IllegalArgumentException("prefix tuning needs one geometry for all layers: " + s.module()
                        + " has " + s.kvHeads() + "x" + s.headDim() + ", " + sites.get(0).module() + " " + kvHeads
                        + "x" + headDim);
            }
        }
        int p = config.numVirtualTokens();
        int layers = sites.size();
        long tokenDim = kvHeads * headDim;
        String a = config.adapterName();
        String scope = "prompt_encoder." + a;
        GraphEdit edit = new GraphEdit(m);
        Map<String, String> tensors = new LinkedHashMap<>();
        Value prefix = edit.in(scope, () -> prefixTable(edit, scope, layers, tokenDim, tensors));
        Value maskRow = edit.initializer(scope + ".attention_mask", Tensor.ofLongs(scope + ".attention_mask",
                new long[] {1, p}, ones(p)));
        Value grid = edit.in(scope, () -> edit.reshape(prefix, p, 2L * layers, kvHeads, headDim));
        Map<Value, Value> masks = new IdentityHashMap<>();
        List<String> injected = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            AttentionSite s = sites.get(i);
            int index = i;
            edit.in(s.module(), () -> {
                join(edit, grid, 2 * index, s.key(), p, kvHeads, headDim);
                join(edit, grid, 2 * index + 1, s.value(), p, kvHeads, headDim);
                Value ext = masks.computeIfAbsent(s.mask(), mk -> extendMask(edit, mk, maskRow, p));
                s.maskAdd().setInput(s.maskAdd().input(0) == s.mask() ? 0 : 1, ext);
                return null;
            });
            injected.add(String.format(Locale.ROOT, "%s: prefix of %d keys and values x %d kv heads x %d", s.module(),
                    p, kvHeads, headDim));
        }
        edit.sort();
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("peft_type", PeftMethod.PREFIX.peftType());
        cfg.put("num_virtual_tokens", Integer.toString(p));
        cfg.put("num_layers", Integer.toString(layers));
        cfg.put("num_attention_heads", Long.toString(kvHeads));
        cfg.put("token_dim", Long.toString(tokenDim));
        cfg.put("num_transformer_submodules", "1");
        cfg.put("prefix_projection", Boolean.toString(config.reparameterize()));
        if (config.reparameterize()) {
            cfg.put("encoder_hidden_size", Integer.toString(config.encoderHiddenSize()));
        }
        cfg.put("seed", Long.toString(config.seed()));
        AdapterInfo info = new AdapterInfo(a, PeftMethod.PREFIX, cfg, tensors);
        return new Injection(m, InjectionRecords.finish(m, info, injected, List.of()));
    }

    /** The [P, L·2·kv·dim] prefix: the embedding itself, or PEFT's reparameterization MLP over a narrower one. */
    private Value prefixTable(GraphEdit edit, String scope, int layers, long tokenDim, Map<String, String> tensors) {
        SplittableRandom rnd = new SplittableRandom(config.seed());
        int p = config.numVirtualTokens();
        long width = 2L * layers * tokenDim;
        DataType dt = DataType.FLOAT;
        String emb = scope + ".embedding.weight";
        if (!config.reparameterize()) {
            Value e = edit.initializer(emb, AdapterTensors.normal(emb, dt, new long[] {p, width}, 1.0, rnd));
            tensors.put("prompt_embeddings", emb);
            return e;
        }
        long hidden = config.encoderHiddenSize();
        Value e = edit.initializer(emb, AdapterTensors.normal(emb, dt, new long[] {p, tokenDim}, 1.0, rnd));
        Value w0 = linearParam(edit, scope + ".transform.0.weight", new long[] {hidden, tokenDim}, tokenDim, rnd);
        Value b0 = linearParam(edit, scope + ".transform.0.bias", new long[] {hidden}, tokenDim, rnd);
        Value w2 = linearParam(edit, scope + ".transform.2.weight", new long[] {width, hidden}, hidden, rnd);
        Value b2 = linearParam(edit, scope + ".transform.2.bias", new long[] {width}, hidden, rnd);
        for (String part : List.of("embedding.weight", "transform.0.weight", "transform.0.bias",
                "transform.2.weight", "transform.2.bias")) {
            tensors.put("prompt_encoder." + part, scope + "." + part);
        }
        Value h = edit.op("Tanh", List.of(edit.add(edit.matMul(e, edit.transpose(w0, 1, 0)), b0)));
        return edit.add(edit.matMul(h, edit.transpose(w2, 1, 0)), b2);
    }

    private static Value linearParam(GraphEdit edit, String name, long[] dims, long fanIn, SplittableRandom rnd) {
        return edit.initializer(name, AdapterTensors.uniform(name, DataType.FLOAT, dims, 1 / Math.sqrt(fanIn), rnd));
    }

    /** Concatenates entry {@code j} of the prefix grid in front of {@code op} along its sequence axis. */
    private static void join(GraphEdit edit, Value grid, int j, AttentionSite.Operand op, int p, long kvHeads,
                             long headDim) {
        Value block = edit.gather(grid, edit.constant(Tensor.scalarLong("value", j)), 1);
        boolean headsFirst = op.layout() == AttentionSite.Layout.HEADS_FIRST;
        block = headsFirst ? edit.reshape(edit.transpose(block, 1, 0, 2), 1, kvHeads, p, headDim)
                : edit.reshape(block, 1, p, kvHeads, headDim);
        Value batch = edit.slice(edit.shape(op.tensor()), new long[] {0}, new long[] {1}, new long[] {0});
        block = edit.expand(block, edit.concat(0, batch, edit.longs(1, 1, 1)));
        Value joined = edit.concat(op.layout().sequenceAxis(), block, op.tensor());
        op.reader().setInput(op.inputIndex(), joined);
    }

    /** {@code Concat(prefix columns, mask)} on the last axis; prefix columns are 0 where visible, lowest elsewhere. */
    private static Value extendMask(GraphEdit edit, Value mask, Value maskRow, int p) {
        DataType dt = mask.dtype() != null ? mask.dtype() : DataType.FLOAT;
        int rank = mask.shape() != null && mask.shape().hasRank() ? mask.shape().rank() : 4;
        long[] dims = new long[rank];
        java.util.Arrays.fill(dims, 1);
        dims[rank - 1] = p;
        Value visible = edit.reshape(edit.cast(maskRow, DataType.BOOL), dims);
        double lowest = dt == DataType.DOUBLE ? -Double.MAX_VALUE : -Float.MAX_VALUE;
        Value bias = edit.where(visible, edit.scalar(dt, 0), edit.scalar(dt, lowest));
        Value lead = edit.slice(edit.shape(mask), new long[] {0}, new long[] {-1}, new long[] {0});
        Value block = edit.expand(bias, edit.concat(0, lead, edit.longs(p)));
        return edit.concat(-1, block, mask);
    }

    private static long[] ones(int n) {
        long[] v = new long[n];
        java.util.Arrays.fill(v, 1);
        return v;
    }
}
