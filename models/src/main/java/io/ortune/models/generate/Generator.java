package io.ortune.models.generate;

import io.ortune.graph.ir.Model;
import io.ortune.models.arch.ModelIo;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.NativeOutputs;
import io.ortune.runtime.NativeTensor;
import io.ortune.runtime.SessionOptions;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Generates tokens with a decoder's KV-cache graph in ONNX Runtime. Owns the session; close it when done.
 *
 * <p>A call runs one prefill step over the prompts (left-padded to a common length, pads masked) and then one step
 * per new token. The {@code present.*} outputs of a step stay in ONNX Runtime's memory and are fed as the next
 * step's {@code past_key_values.*}; only the last position's logits of each row are read into Java. Each row's
 * token comes from those logits after {@link GenerationConfig#processors()}: the argmax, or a seeded sample.
 *
 * <p>One generator may be used for many calls, one at a time (calls are not thread-safe).
 *
 * <pre>{@code
 * try (Generator g = Generator.open(Path.of("model.onnx"), SessionOptions.builder().intraOpThreads(2).build())) {
 *     GenerationResult r = g.generate(new int[] {1, 403, 407}, GenerationConfig.greedy(40));
 * }
 * }</pre>
 */
public final class Generator implements AutoCloseable {

    private final InferenceSession session;
    private DecoderSpec spec;
    private final Set<Integer> eosIds;
    private final List<String> outputs;

    Generator(InferenceSession session, DecoderSpec spec) {
        this.session = session;
        this.spec = spec;
        this.eosIds = new TreeSet<>(spec.eosIds());
        this.outputs = spec.outputNames();
    }

    /**
     * A generator over the model in {@code file}: an ortune-built KV-cache model is loaded as it is; an ortune-built
     * training-form model is rebuilt in its KV-cache form in memory first; any other model must be KV-cache shaped
     * (see {@link DecoderSpec#fromSignature}).
     *
     * @throws IllegalArgumentException when the model cannot generate, saying why
     */
    public static Generator open(Path file, SessionOptions options) throws IOException {
        return GeneratorModels.open(file, options);
    }

    /** A generator over an in-memory ortune-built model (either form), serialized into the session. */
    public static Generator of(Model model, SessionOptions options) throws IOException {
        return GeneratorModels.of(model, options, "model '" + model.graph().name() + "'");
    }

    /** The model's geometry and the config's end-of-sequence ids. */
    public DecoderSpec spec() {
        return spec;
    }

    /** The session, for inspection. */
    public InferenceSession session() {
        return session;
    }

    /** The ids that end a row when {@link GenerationConfig#stopOnEos()}: the config's, plus any added. */
    public Set<Integer> eosIds() {
        return Set.copyOf(eosIds);
    }

    /** Adds end-of-sequence ids (typically the tokenizer's {@code eosId()}) to {@link #eosIds()}. */
    public Generator addEosIds(Collection<Integer> ids) {
        eosIds.addAll(ids);
        return this;
    }

    /** The ids that end a row under {@code config}. */
    public Set<Integer> stopIds(GenerationConfig config) {
        Set<Integer> all = new TreeSet<>(config.stopIds());
        if (config.stopOnEos()) {
            all.addAll(eosIds);
        }
        return all;
    }

    /** Generates after one prompt, without a listener. */
    public GenerationResult generate(int[] prompt, GenerationConfig config) {
        return generate(List.of(prompt), config, TokenListener.NONE).get(0);
    }

    /** Generates after one prompt, telling {@code listener} each token as it comes. */
    public GenerationResult generate(int[] prompt, GenerationConfig config, TokenListener listener) {
        return generate(List.of(prompt), config, listener).get(0);
    }

    /**
     * Generates after each prompt, as one batch (prompts of different lengths are left-padded). Row {@code i} of the
     * result belongs to prompt {@code i}; a finished row is carried along (its tokens ignored) until every row is
     * done or the longest allowed.
     *
     * @throws IllegalArgumentException for an empty prompt, an id outside the vocabulary, or a sequence longer than
     *                                  the model's positions
     */
    public List<GenerationResult> generate(List<int[]> prompts, GenerationConfig config, TokenListener listener) {
        checkPrompts(prompts, config);
        Batch batch = new Batch(prompts, config.maxNewTokens());
        Set<Integer> stop = stopIds(config);
        Chooser chooser = new Chooser(config);
        long start = System.nanoTime();
        long prefillEnd;
        int steps = 0;
        try (KvCache cache = new KvCache(spec, batch.size())) {
            step(batch, cache, true, chooser, stop, listener);
            prefillEnd = System.nanoTime();
            while (!batch.allFinished()) {
                step(batch, cache, false, chooser, stop, listener);
                steps++;
            }
        }
        long end = System.nanoTime();
        List<GenerationResult> results = new ArrayList<>();
        for (int b = 0; b < batch.size(); b++) {
            results.add(new GenerationResult(prompts.get(b), batch.generatedIds(b), batch.stopReason(b),
                    batch.size(), (prefillEnd - start) / 1e6, (end - prefillEnd) / 1e6, steps));
        }
        return results;
    }

    /** Runs one step and appends each unfinished row's next token. */
    private void step(Batch batch, KvCache cache, boolean prefill, Chooser chooser, Set<Integer> stop,
                      TokenListener listener) {
        Map<String, NativeTensor> feeds = new LinkedHashMap<>();
        try {
            batch.feed(feeds, prefill, spec.positionIds());
            cache.feed(feeds);
            NativeOutputs out = session.runNative(feeds, outputs);
            cache.advance(out);
            NativeTensor logits = out.get(ModelIo.LOGITS);
            choose(batch, logits, chooser, stop, listener);
        } finally {
            for (String name : List.of(ModelIo.INPUT_IDS, ModelIo.ATTENTION_MASK, ModelIo.POSITION_IDS)) {
                NativeTensor t = feeds.get(name);
                if (t != null) {
                    t.close();
                }
            }
        }
    }

    private void choose(Batch batch, NativeTensor logits, Chooser chooser, Set<Integer> stop,
                        TokenListener listener) {
        long[] dims = logits.dims();
        if (spec.vocab() == 0) {
            spec = spec.withVocab(Math.toIntExact(dims[2]));
        }
        int vocab = spec.vocab();
        if (dims.length != 3 || dims[0] != batch.size() || dims[2] != vocab) {
            throw new IllegalStateException(session.label() + " returned logits " + logits + ", expected ["
                    + batch.size() + ", sequence, " + vocab + "]");
        }
        FloatBuffer all = logits.buffer().asFloatBuffer();
        float[] row = new float[vocab];
        long seq = dims[1];
        for (int b = 0; b < batch.size(); b++) {
            if (batch.finished(b)) {
                continue;
            }
            all.get(Math.toIntExact(((b * seq) + seq - 1) * vocab), row);
            int token = chooser.choose(batch.tokens(b), batch.length(b), row);
            batch.append(b, token);
            listener.onToken(b, token);
            StopReason reason = stop.contains(token) ? StopReason.STOP_TOKEN
                    : batch.generatedCount(b) >= chooser.maxNewTokens() ? StopReason.MAX_NEW_TOKENS : null;
            if (reason != null) {
                batch.finish(b, reason);
                listener.onFinish(b, reason);
            }
        }
    }

    private void checkPrompts(List<int[]> prompts, GenerationConfig config) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts to generate from");
        }
        for (int i = 0; i < prompts.size(); i++) {
            int[] p = prompts.get(i);
            String which = prompts.size() == 1 ? "the prompt" : "prompt " + i;
            if (p.length == 0) {
                throw new IllegalArgumentException(which + " is empty; give at least one token (e.g. the BOS id)");
            }
            for (int t = 0; t < p.length; t++) {
                if (p[t] < 0 || (spec.vocab() > 0 && p[t] >= spec.vocab())) {
                    throw new IllegalArgumentException(which + ": id " + p[t] + " at position " + t
                            + " is outside the model's vocabulary [0, " + spec.vocab() + ")");
                }
            }
            long total = (long) p.length + config.maxNewTokens();
            if (spec.maxPositions() > 0 && total > spec.maxPositions()) {
                throw new IllegalArgumentException(which + " has " + p.length + " tokens; with " + config.maxNewTokens()
                        + " new ones that is " + total + ", over the model's " + spec.maxPositions() + " positions");
            }
        }
    }

    /** Releases the session. */
    @Override
    public void close() {
        session.close();
    }

    /** Applies the processors and picks a token, greedily or from the seeded generator. */
    private static final class Chooser {
        private final GenerationConfig config;
        private final LogitsProcessor processor;
        private final SplittableRandom random;

        Chooser(GenerationConfig config) {
            this.config = config;
            this.processor = LogitsProcessor.chain(config.processors());
            this.random = new SplittableRandom(config.seed());
        }

        int choose(int[] ids, int length, float[] logits) {
            processor.apply(ids, length, logits);
            return config.doSample() ? Sampling.sample(logits, random) : Sampling.argmax(logits);
        }

        int maxNewTokens() {
            return config.maxNewTokens();
        }
    }
}
