package io.ortune.cli;

import io.ortune.graph.ir.Model;
import io.ortune.graph.pass.Opset13UpgradePass;
import io.ortune.models.tokenizer.Tokenizer;
import io.ortune.models.tokenizer.Tokenizers;
import io.ortune.training.data.ClassificationData;
import io.ortune.training.data.Collator;
import io.ortune.training.data.Example;
import io.ortune.training.data.PreferenceData;
import io.ortune.training.data.PreferencePair;
import io.ortune.training.data.Splits;
import io.ortune.training.objective.Objective;
import io.ortune.training.objective.Objectives;
import io.ortune.training.trainer.TrainRequest;
import io.ortune.training.trainer.TrainResult;
import io.ortune.training.trainer.Trainer;
import io.ortune.training.trainer.TrainerConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ortune train --objective reward|classification}: a head on the pooled hidden states of an encoder or
 * decoder (optionally with PEFT / QLoRA underneath), trained on preference pairs or {@code {text, label}} records.
 * Models of opset 11/12 (PyTorch's classic exports) are lifted to opset 13 first ({@link Opset13UpgradePass}).
 */
final class HeadTraining {

    private HeadTraining() {
    }

    static int run(TrainCommand cmd, TrainOptions o, Model model, String name, Path resume, PrintStream out, long t0)
            throws IOException {
        Objective objective;
        try {
            if (name.equals("classification") && o.numLabels == null) {
                throw new IllegalArgumentException("--objective classification needs --num-labels N");
            }
            objective = Objectives.byName(name, o.numLabels == null ? 2 : o.numLabels);
        } catch (IllegalArgumentException e) {
            throw cmd.usage(e.getMessage());
        }
        if (model.opsetVersion("") < 13) {
            model = new Opset13UpgradePass().run(model).model();
        }
        model = cmd.adapt(o, model, out);
        TrainerConfig cfg;
        try {
            cfg = o.trainerConfig(model);
        } catch (IllegalArgumentException e) {
            throw cmd.usage(e.getMessage());
        }
        if (o.tokenizer == null && name.equals("classification")) {
            throw cmd.usage("--objective classification needs --tokenizer (its records are text)");
        }
        int maxLength = o.blockSize == null ? 128 : o.blockSize;
        try (Tokenizer tok = o.tokenizer == null ? null : Tokenizers.load(Path.of(o.tokenizer))) {
            List<Example> train = read(name, Path.of(o.data), tok, maxLength, o.numLabels);
            List<Example> eval = o.evalData == null ? List.of() : read(name, Path.of(o.evalData), tok, maxLength,
                    o.numLabels);
            if (o.evalData == null && o.evalFraction != null && o.evalFraction > 0) {
                Splits.Split s = Splits.split(train, o.evalFraction, cfg.seed());
                train = s.train();
                eval = s.eval();
            }
            out.println("data: " + train.size() + " training and " + eval.size() + " held-out "
                    + (name.equals("reward") ? "pairs" : "examples") + " (max length " + maxLength + ")");
            Path run = Path.of(o.out);
            if (resume == null) {
                if (Files.exists(run.resolve(Trainer.ARTIFACTS))) {
                    throw cmd.usage(run + " already holds a training run; continue it with --resume " + run
                            + " or choose another --out");
                }
                Files.createDirectories(run);
                io.ortune.graph.io.AtomicFiles.writeString(run.resolve(TrainCommand.RUN_CONFIG), o.toJson());
            }
            int pad = tok == null ? 0 : tok.padId().orElse(tok.eosId().orElse(0));
            TrainResult r;
            try (TrainProgress progress = TrainProgress.forConsole(out).interruptible(run)) {
                r = Trainer.train(new TrainRequest(model, train, eval, new Collator(pad), run, cfg, resume != null,
                        objective), progress);
            }
            TrainCommand.summary(out, r, (System.nanoTime() - t0) / 1e9);
            if (r.finalEval() != null) {
                out.println("held-out " + r.finalEval().metrics() + (r.initialEval() == null ? ""
                        : " (before: " + r.initialEval().metrics() + ")"));
            }
            for (String f : List.of(Objectives.REWARD_MODEL, Objectives.CLASSIFIER)) {
                if (Files.isRegularFile(run.resolve(f))) {
                    out.println("inference model: " + run.resolve(f));
                }
            }
        }
        return 0;
    }

    private static List<Example> read(String name, Path file, Tokenizer tok, int maxLength, Integer numLabels)
            throws IOException {
        CliFiles.existingFile(file, "data");
        if (name.equals("reward")) {
            List<Example> out = new ArrayList<>();
            for (PreferencePair p : PreferenceData.load(file, tok, maxLength, true).pairs()) {
                out.add(p.toExample());
            }
            return out;
        }
        return ClassificationData.load(file, tok, maxLength, numLabels);
    }
}
