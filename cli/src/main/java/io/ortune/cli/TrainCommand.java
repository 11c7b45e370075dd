package io.ortune.cli;

import io.ortune.export.adapter.RunAdapters;
import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.ir.Model;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.PeftInjector;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.PeftMethod;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.arch.ModelForms;
import io.ortune.models.arch.ModelMetadata;
import io.ortune.models.generate.DecoderSpec;
import io.ortune.models.tokenizer.Tokenizer;
import io.ortune.models.tokenizer.Tokenizers;
import io.ortune.training.data.Collator;
import io.ortune.training.data.LoadOptions;
import io.ortune.training.data.LoadReport;
import io.ortune.training.data.TrainingData;
import io.ortune.training.objective.CausalLmSignature;
import io.ortune.training.qlora.Nf4Config;
import io.ortune.training.qlora.Nf4QuantizePass;
import io.ortune.training.trainer.TrainRequest;
import io.ortune.training.trainer.RunFolder;
import io.ortune.training.trainer.TrainResult;
import io.ortune.training.trainer.Trainer;
import io.ortune.training.trainer.TrainerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ortune train}: fine-tunes an ortune-built decoder on a data file with ONNX Runtime's training API and
 * writes the run folder (artifacts, checkpoints, metrics, {@code model.onnx}). Settings come from flags, a
 * {@code --config} YAML file (flags win) and, with {@code --resume}, the run's saved settings (overridden by both).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fine-tune a decoder (causal LM loss) with ONNX Runtime training.",
            "  ortune train --model gpt2.onnx --data data.jsonl --tokenizer gpt2/ --out run1 --max-steps 200",
            "  ortune train --config train.yaml --lr 1e-4          (flags override the YAML file)",
            "  ortune train --resume run1                          (continue from the latest checkpoint)"})
final class TrainCommand implements Callable<Integer> {

    /** The settings this run resolved to, saved in the run folder for {@code --resume}. */
    static final String RUN_CONFIG = "train_config.json";

    @CommandLine.Mixin
    TrainOptions flags = new TrainOptions();

    @Option(names = "--config", paramLabel = "train.yaml", description = "YAML file with any of these settings.")
    Path config;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the run in RUN_DIR.")
    Path resume;

    @Option(names = "--overwrite", description = "Start afresh in an --out folder that holds a run with checkpoints "
            + "(its run files are removed). A folder whose run saved no checkpoint is reused without it.")
    boolean overwrite;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TrainOptions o = resolve();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        Model model = loadModel(Path.of(o.model));
        String objectiveName = o.objective == null ? "causal-lm" : o.objective;
        if (!objectiveName.equals("causal-lm")) {
            return HeadTraining.run(this, o, model, objectiveName, resume, out, t0);
        }
        CausalLmSignature signature = CausalLmSignature.of(model, o.model);
        int positions = maxPositions(model, o.model);
        int blockSize = o.blockSize != null ? o.blockSize : positions > 0 ? Math.min(128, positions) : 128;
        if (positions > 0 && blockSize > positions) {
            throw usage("--block-size " + blockSize + " is over the model's " + positions + " positions");
        }
        model = adapt(o, model, out);
        TrainerConfig cfg;
        try {
            cfg = o.trainerConfig(model);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        try (Tokenizer tok = o.tokenizer == null ? null : Tokenizers.load(Path.of(o.tokenizer))) {
            LoadOptions lo = new LoadOptions(o.dataFormat(), blockSize, Boolean.TRUE.equals(o.skipBadLines), true,
                    Math.toIntExact(signature.vocab()));
            TrainingData.Prepared data = TrainingData.prepare(Path.of(o.data), o.evalData == null ? null
                    : Path.of(o.evalData), tok, lo, o.rowLayout(), o.evalFraction == null ? 0 : o.evalFraction,
                    cfg.seed());
            report(out, data, o.rowLayout(), blockSize);
            Path run = Path.of(o.out);
            if (resume == null) {
                RunFolder.Start start;
                try {
                    start = RunFolder.prepareFresh(run, overwrite);
                } catch (IllegalArgumentException e) {
                    throw usage(e.getMessage());
                }
                if (start == RunFolder.Start.REUSED) {
                    out.println("reusing " + run + ": its earlier run saved no checkpoint");
                } else if (start == RunFolder.Start.OVERWRITTEN) {
                    out.println("overwriting the run in " + run + " (--overwrite)");
                }
                saveRunConfig(run, o);
            } else if (overwrite) {
                throw usage("--overwrite starts a run afresh; it cannot be combined with --resume");
            }
            int pad = tok == null ? 0 : tok.padId().orElse(tok.eosId().orElse(0));
            TrainResult r;
            try (TrainProgress progress = TrainProgress.forConsole(out).interruptible(run)) {
                r = Trainer.train(new TrainRequest(model, data.trainRows(), data.evalRows(), new Collator(pad), run,
                        cfg, resume != null), progress);
            }
            summary(out, r, (System.nanoTime() - t0) / 1e9);
            for (Path written : RunAdapters.writeRun(run)) {
                out.println("adapter: " + written);
            }
        }
        return 0;
    }

    /**
     * The model as trained: with {@code --peft} injected (the adapter's tensors recorded as the trainable set) and,
     * with {@code --quantize nf4}, the frozen base linears in NF4 (QLoRA).
     */
    Model adapt(TrainOptions o, Model model, PrintStream out) {
        PeftMethod method;
        Nf4Config nf4;
        try {
            method = o.peftMethod();
            nf4 = o.nf4();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (nf4 != null && method == null && !PeftMetadata.trainable(model).isPresent()) {
            throw usage("--quantize nf4 freezes the base; add --peft (QLoRA is LoRA on the NF4 base)");
        }
        if (method != null) {
            Injection injected = PeftInjector.inject(model, o.peftFlags.settings(method,
                    o.seed == null ? TrainerConfig.DEFAULT_SEED : o.seed));
            out.println(injected.report().summary());
            model = injected.model();
        }
        if (nf4 != null) {
            Nf4QuantizePass.Result q = new Nf4QuantizePass(nf4).quantize(model);
            out.println(q.report().summary());
            model = q.model();
        }
        return model;
    }

    /** Saved run settings, then the YAML file, then the flags given. */
    TrainOptions resolve() throws IOException {
        TrainOptions o = new TrainOptions();
        if (resume != null) {
            Path saved = resume.resolve(RUN_CONFIG);
            if (!Files.isRegularFile(saved)) {
                throw usage("--resume " + resume + ": no " + RUN_CONFIG + " there (not a run folder of 'ortune train')");
            }
            o = TrainOptions.readJson(saved);
            if (flags.model != null && o.model != null && !samePath(flags.model, o.model)) {
                throw usage("--resume " + resume + " continues training " + o.model + "; --model " + flags.model
                        + " is another model (its checkpoint would not fit): drop --model, or start a new run with "
                        + "--out");
            }
        }
        if (config != null) {
            o = o.overlay(TrainOptions.readYaml(CliFiles.existingFile(config, "config")));
        }
        o = o.overlay(flags);
        if (resume != null) {
            if (flags.out != null && !Path.of(flags.out).toAbsolutePath().normalize()
                    .equals(resume.toAbsolutePath().normalize())) {
                throw usage("--resume " + resume + " continues that folder; drop --out " + flags.out);
            }
            o.out = resume.toString();
        }
        for (String[] req : new String[][] {{"--model", o.model}, {"--data", o.data}, {"--out", o.out}}) {
            if (req[1] == null) {
                throw usage("missing " + req[0] + " (give it as a flag or in --config)");
            }
        }
        if (o.trainable != null && o.freezeLayers != null) {
            throw usage("give --trainable or --freeze-layers, not both");
        }
        return o;
    }

    /** The longest sequence an ortune-built decoder takes (0: no fixed limit, or not ortune-built). */
    private static int maxPositions(Model model, String source) {
        if (!model.metadataProps().containsKey(ModelMetadata.CONFIG)) {
            return 0;
        }
        return DecoderSpec.fromConfig(ModelMetadata.read(model, source).config(), source).maxPositions();
    }

    /**
     * The training form of an ortune-built model file, rebuilt in memory from its weights and metadata (sharing the
     * tensor data): a graph read from a file lacks the value types autodiff needs (ortune's type inference does not
     * cover every op, CumSum for one). A model the builders cannot rebuild (injected adapters) is used as read.
     */
    static Model loadModel(Path file) throws IOException {
        return io.ortune.training.trainer.TrainingModels.load(CliFiles.existingFile(file, "model"));
    }

    private static boolean samePath(String a, String b) {
        return Path.of(a).toAbsolutePath().normalize().equals(Path.of(b).toAbsolutePath().normalize());
    }

    /** Saves the settings with absolute paths, so that {@code --resume} works from any working directory. */
    private static void saveRunConfig(Path run, TrainOptions o) throws IOException {
        Files.createDirectories(run);
        o.model = absolute(o.model);
        o.data = absolute(o.data);
        o.evalData = absolute(o.evalData);
        o.tokenizer = absolute(o.tokenizer);
        o.out = absolute(o.out);
        AtomicFiles.writeString(run.resolve(RUN_CONFIG), o.toJson());
    }

    private static String absolute(String path) {
        return path == null ? null : Path.of(path).toAbsolutePath().normalize().toString();
    }

    /** Data lines for the demo (packed rows). */
    static void summaryOfData(PrintStream out, TrainingData.Prepared data, int blockSize) {
        report(out, data, io.ortune.training.data.Rows.Layout.PACK, blockSize);
    }

    private static void report(PrintStream out, TrainingData.Prepared data, io.ortune.training.data.Rows.Layout layout,
                               int blockSize) {
        out.println("data: " + data.trainReport().summary());
        for (String m : data.trainReport().badLineMessages()) {
            out.println("  skipped " + m);
        }
        LoadReport ev = data.evalReport();
        if (ev != null) {
            out.println("eval data: " + ev.summary());
        }
        out.printf(Locale.ROOT, "rows (%s, block %d): %d train from %d examples, %d eval from %d examples%n",
                layout.name().toLowerCase(Locale.ROOT), blockSize, data.trainRows().size(),
                data.trainExamples(), data.evalRows().size(), data.evalExamples());
    }

    static void summary(PrintStream out, TrainResult r, double seconds) {
        out.printf(Locale.ROOT, "done: %d steps, last loss %.4f%s%n", r.steps(), r.lastLoss(),
                r.stoppedEarly() ? " (stopped early)" : "");
        if (r.initialEval() != null) {
            out.printf(Locale.ROOT, "eval before: loss %.4f  perplexity %.2f%n", r.initialEval().loss(),
                    r.initialEval().perplexity());
        }
        if (r.finalEval() != null) {
            out.printf(Locale.ROOT, "eval after:  loss %.4f  perplexity %.2f  (best %.4f at step %d)%n",
                    r.finalEval().loss(), r.finalEval().perplexity(), r.bestEvalLoss(), r.bestStep());
        }
        out.printf(Locale.ROOT, "model: %s%ncheckpoint: %s%ntime: %.1fs%n", r.model(), r.lastCheckpoint(), seconds);
    }

    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
