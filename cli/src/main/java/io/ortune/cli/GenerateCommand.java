package io.ortune.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ortune.export.adapter.PeftAdapters;
import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.models.generate.GenerationConfig;
import io.ortune.models.generate.GenerationResult;
import io.ortune.models.generate.Generator;
import io.ortune.models.generate.TextStreamer;
import io.ortune.models.generate.TokenListener;
import io.ortune.models.tokenizer.Tokenizer;
import io.ortune.models.tokenizer.Tokenizers;
import io.ortune.runtime.SessionOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code ortune generate}: continues a prompt with a decoder model, printing the new text (or ids) as it is
 * generated, or one JSON object with {@code --json}. Greedy unless a sampling flag is given.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate text with a decoder model (KV-cache form, or training form converted in memory).",
            "Greedy unless --temperature (not 0), --top-k (not 0) or --top-p (below 1) is given. Adapter models",
            "(unmerged) generate as they are; --adapter DIR attaches a PEFT adapter folder to the model first.",
            "  ortune generate --model kv.onnx --prompt-ids 1,403,407,261,378 --max-new-tokens 40",
            "  ortune generate --model gpt2.onnx --tokenizer gpt2/ --prompt 'Once upon' --max-new-tokens 30 "
                + "--temperature 0.8 --top-p 0.95 --seed 1",
            "  ortune generate --model gpt2.onnx --adapter run1/adapter --prompt-ids 1,2,3 --max-new-tokens 20"})
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "MODEL.onnx", required = true, description = "The decoder model.")
    Path model;

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "A PEFT adapter folder to attach (unmerged) to the model before generating.")
    Path adapter;

    @Option(names = "--adapter-name", paramLabel = "NAME", defaultValue = LoraConfig.DEFAULT_ADAPTER,
            description = "Name the attached adapter gets (default: ${DEFAULT-VALUE}).")
    String adapterName;

    @Option(names = "--tokenizer", paramLabel = "DIR|FILE",
            description = "tokenizer.json, a GPT-2 vocabulary folder, or a checkpoint folder holding either.")
    Path tokenizer;

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Prompt prompt;

    /** Exactly one way to give the prompt. */
    static final class Prompt {
        @Option(names = "--prompt", paramLabel = "TEXT", required = true,
                description = "Prompt text (needs --tokenizer; the tokenizer's special tokens such as BOS are added).")
        String text;

        @Option(names = "--prompt-ids", paramLabel = "ID", split = ",", required = true,
                description = "Prompt token ids, comma-separated.")
        int[] ids;
    }

    @Option(names = "--max-new-tokens", paramLabel = "N", required = true, description = "How many tokens at most.")
    int maxNewTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "Sample at this temperature (0 = greedy).")
    Double temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "Sample from the K most likely tokens (0 = off).")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P", description = "Sample from the smallest set with probability >= P (1 = off).")
    Double topP;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Sampling seed (default: ${DEFAULT-VALUE}); the same seed gives the same tokens.")
    long seed;

    @Option(names = "--repetition-penalty", paramLabel = "R", defaultValue = "1.0",
            description = "Hugging Face's repetition penalty (default: ${DEFAULT-VALUE} = off).")
    double repetitionPenalty;

    @Option(names = "--stop-ids", paramLabel = "ID", split = ",",
            description = "Extra ids that end generation, comma-separated (EOS from the config and tokenizer always do).")
    List<Integer> stopIds = new ArrayList<>();

    @Option(names = "--ignore-eos", description = "Do not stop at the model's or tokenizer's end-of-sequence ids.")
    boolean ignoreEos;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "ONNX Runtime intra-op threads (0 = its default).")
    int threads;

    @Option(names = "--json", description = "Print one JSON object at the end instead of streaming.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GenerationConfig config = config();
        if (prompt.text != null && tokenizer == null) {
            throw usage("--prompt needs --tokenizer to turn the text into ids (or give --prompt-ids)");
        }
        CliFiles.existingFile(model, "model");
        if (tokenizer != null && !Files.exists(tokenizer)) {
            throw new NoSuchFileException(tokenizer.toString(), null, "tokenizer file or folder not found");
        }
        SessionOptions options = SessionOptions.builder().intraOpThreads(threads).build();
        try (Tokenizer tok = tokenizer == null ? null : Tokenizers.load(tokenizer);
             Generator generator = open(options)) {
            if (tok != null && !ignoreEos) {
                tok.eosId().ifPresent(id -> generator.addEosIds(List.of(id)));
            }
            int[] ids = prompt.text != null ? tok.encode(prompt.text, true) : prompt.ids;
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            TokenListener listener = json ? TokenListener.NONE : streamer(tok, ids, generator.stopIds(config), out);
            GenerationResult r = generator.generate(ids, config, listener);
            if (json) {
                out.println(toJson(r, tok, generator.stopIds(config)));
            } else {
                out.println();
                System.err.printf(Locale.ROOT, "[%d new tokens, %s; prefill %.1f ms, decode %.1f tokens/s]%n",
                        r.generatedIds().length, r.stopReason().name().toLowerCase(Locale.ROOT), r.prefillMs(),
                        r.decodeTokensPerSecond());
            }
        }
        return 0;
    }

    /** The model as given, or with {@code --adapter} attached (then its KV-cache form is built in memory). */
    private Generator open(SessionOptions options) throws Exception {
        if (adapter == null) {
            return Generator.open(model, options);
        }
        if (!Files.isDirectory(adapter)) {
            throw new NoSuchFileException(adapter.toString(), null, "adapter folder not found");
        }
        Model base = OnnxReader.read(model);
        return Generator.of(PeftAdapters.attach(base, adapter, adapterName).model(), options);
    }

    private GenerationConfig config() {
        if (maxNewTokens < 1) {
            throw usage("--max-new-tokens must be >= 1, got " + maxNewTokens);
        }
        // a filter that is off (top-k 0, top-p 1) does not turn sampling on; temperature 0 means greedy
        boolean sample = (temperature != null && temperature != 0.0) || (topK != null && topK != 0)
                || (topP != null && topP != 1.0);
        GenerationConfig.Builder b = GenerationConfig.builder().maxNewTokens(maxNewTokens).doSample(sample)
                .seed(seed).repetitionPenalty(repetitionPenalty).stopIds(new TreeSet<>(stopIds))
                .stopOnEos(!ignoreEos);
        if (sample && temperature != null) {
            b.temperature(temperature);
        }
        if (topK != null) {
            b.topK(topK);
        }
        if (topP != null) {
            b.topP(topP);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private static TokenListener streamer(Tokenizer tok, int[] prompt, Set<Integer> stop, PrintStream out) {
        if (tok == null) {
            boolean[] first = {true};
            return (row, token) -> {
                out.print((first[0] ? "" : " ") + token);
                first[0] = false;
                out.flush();
            };
        }
        return new TextStreamer(tok, List.of(prompt), stop, (row, text) -> {
            out.print(text);
            out.flush();
        });
    }

    private static String toJson(GenerationResult r, Tokenizer tok, Set<Integer> stop) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = mapper.createObjectNode();
        ArrayNode p = o.putArray("prompt_ids");
        Arrays.stream(r.promptIds()).forEach(p::add);
        ArrayNode g = o.putArray("generated_ids");
        int[] generated = r.generatedIds();
        Arrays.stream(generated).forEach(g::add);
        if (tok == null) {
            o.putNull("text");
        } else {
            int n = generated.length;
            boolean endsWithStop = n > 0 && stop.contains(generated[n - 1]);
            o.put("text", tok.decode(Arrays.copyOf(generated, endsWithStop ? n - 1 : n)));
        }
        o.put("stop_reason", r.stopReason().name().toLowerCase(Locale.ROOT));
        o.put("prefill_ms", r.prefillMs());
        o.put("decode_ms", r.decodeMs());
        double tps = r.decodeTokensPerSecond();
        if (Double.isNaN(tps)) {
            o.putNull("decode_tokens_per_s");
        } else {
            o.put("decode_tokens_per_s", tps);
        }
        return mapper.writeValueAsString(o);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
