package io.ortune.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ortune.training.data.DataFormat;
import io.ortune.training.data.Rows;
import io.ortune.training.trainer.LrSchedule;
import io.ortune.training.trainer.TrainerConfig;
import io.ortune.training.trainer.Trainables;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Every setting of {@code ortune train}, as command-line flags and as keys of a YAML (or JSON) config file: the key
 * is the flag without its dashes ({@code batch-size: 8}). Unset values are null, so layers merge: a resumed run's
 * saved settings, then the {@code --config} file, then the flags given, each overriding the one before.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
final class TrainOptions {

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    @Option(names = "--model", paramLabel = "MODEL.onnx", description = "ortune-built model (training or KV-cache form).")
    @JsonProperty("model") String model;

    @Option(names = "--data", paramLabel = "FILE", description = "Training data: text, JSONL, tokenized JSONL, Alpaca.")
    @JsonProperty("data") String data;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "Run folder (checkpoints, metrics, model.onnx).")
    @JsonProperty("out") String out;

    @Option(names = "--tokenizer", paramLabel = "PATH", description = "Tokenizer file or folder (not for tokenized data).")
    @JsonProperty("tokenizer") String tokenizer;

    @Option(names = "--format", paramLabel = "FMT", description = "text|jsonl|tokenized|alpaca (default: detected).")
    @JsonProperty("format") String format;

    @Option(names = "--layout", paramLabel = "pack|pad", description = "Pack examples into full blocks (default) or pad.")
    @JsonProperty("layout") String layout;

    @Option(names = "--block-size", paramLabel = "N", description = "Tokens per row (default: min(128, positions)).")
    @JsonProperty("block-size") Integer blockSize;

    @Option(names = "--skip-bad-lines", description = "Skip and count malformed records instead of failing.")
    @JsonProperty("skip-bad-lines") Boolean skipBadLines;

    @Option(names = "--trainable", paramLabel = "REGEX", description = "Train only parameters whose name matches.")
    @JsonProperty("trainable") String trainable;

    @Option(names = "--freeze-layers", paramLabel = "0-5", description = "Freeze these transformer layers.")
    @JsonProperty("freeze-layers") String freezeLayers;

    @Option(names = "--peft", paramLabel = "METHOD",
            description = "Inject and train only a PEFT adapter: lora|dora|adapter|prefix|prompt|ia3.")
    @JsonProperty("peft") String peft;

    @Option(names = "--quantize", paramLabel = "nf4",
            description = "QLoRA: keep the frozen base linears as NF4 (MatMulBnb4) under the adapter.")
    @JsonProperty("quantize") String quantize;

    @Option(names = "--double-quant", description = "With --quantize nf4: quantize the NF4 scales again.")
    @JsonProperty("double-quant") Boolean doubleQuant;

    @com.fasterxml.jackson.annotation.JsonUnwrapped
    @picocli.CommandLine.Mixin
    PeftFlags peftFlags = new PeftFlags();

    @Option(names = "--max-steps", paramLabel = "N", description = "Optimizer steps (overrides --epochs).")
    @JsonProperty("max-steps") Long maxSteps;

    @Option(names = "--epochs", paramLabel = "E", description = "Passes over the data (default 1).")
    @JsonProperty("epochs") Double epochs;

    @Option(names = "--batch-size", paramLabel = "B", description = "Rows per micro-batch (default 8).")
    @JsonProperty("batch-size") Integer batchSize;

    @Option(names = "--grad-accum", paramLabel = "K", description = "Micro-batches per optimizer step (default 1).")
    @JsonProperty("grad-accum") Integer gradAccum;

    @Option(names = "--lr", paramLabel = "LR", description = "Peak learning rate (default 5e-5).")
    @JsonProperty("lr") Double lr;

    @Option(names = "--schedule", paramLabel = "KIND", description = "constant|linear|cosine (default linear).")
    @JsonProperty("schedule") String schedule;

    @Option(names = "--warmup-ratio", paramLabel = "R", description = "Warm-up as a fraction of the steps (default 0).")
    @JsonProperty("warmup-ratio") Double warmupRatio;

    @Option(names = "--warmup-steps", paramLabel = "N", description = "Warm-up steps (overrides --warmup-ratio).")
    @JsonProperty("warmup-steps") Long warmupSteps;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "AdamW weight decay (default 0 = off).")
    @JsonProperty("weight-decay") Double weightDecay;

    @Option(names = "--max-grad-norm", paramLabel = "G", description = "Clip the gradient norm (default 1; 0 = off).")
    @JsonProperty("max-grad-norm") Double maxGradNorm;

    @Option(names = "--objective", paramLabel = "causal-lm|reward|classification",
            description = "What to train: causal-lm (default); reward (Bradley-Terry on preference pairs, writes "
                    + "RUN_DIR/reward_model.onnx with output score [batch]); classification ({text, label} records, "
                    + "--num-labels, writes RUN_DIR/classifier.onnx).")
    @JsonProperty("objective") String objective;

    @Option(names = "--num-labels", paramLabel = "N", description = "Classes of --objective classification.")
    @JsonProperty("num-labels") Integer numLabels;

    @Option(names = "--optimizer", paramLabel = "adamw|sgd", description = "Optimizer (default adamw).")
    @JsonProperty("optimizer") String optimizer;

    @Option(names = "--eval-data", paramLabel = "FILE", description = "Held-out data (same format rules).")
    @JsonProperty("eval-data") String evalData;

    @Option(names = "--eval-fraction", paramLabel = "F", description = "Hold out this fraction of --data (seeded).")
    @JsonProperty("eval-fraction") Double evalFraction;

    @Option(names = "--eval-every", paramLabel = "N", description = "Evaluate every N steps (default: at the end).")
    @JsonProperty("eval-every") Integer evalEvery;

    @Option(names = "--save-every", paramLabel = "N", description = "Checkpoint every N steps (default: at the end).")
    @JsonProperty("save-every") Integer saveEvery;

    @Option(names = "--keep-checkpoints", paramLabel = "N", description = "Periodic checkpoints kept (default 2; 0 = all).")
    @JsonProperty("keep-checkpoints") Integer keepCheckpoints;

    @Option(names = "--patience", paramLabel = "N", description = "Early stopping after N evals without improvement.")
    @JsonProperty("patience") Integer patience;

    @Option(names = "--seed", paramLabel = "S", description = "Data order and split seed (default 42).")
    @JsonProperty("seed") Long seed;

    @Option(names = "--threads", paramLabel = "N", description = "ONNX Runtime threads (default 0 = all cores).")
    @JsonProperty("threads") Integer threads;

    /** {@code over}'s set values replace this one's; returns a new object. */
    TrainOptions overlay(TrainOptions over) {
        ObjectNode base = JSON.valueToTree(this);
        base.setAll((ObjectNode) JSON.valueToTree(over));
        return JSON.convertValue(base, TrainOptions.class);
    }

    static TrainOptions readYaml(Path file) throws IOException {
        try {
            TrainOptions o = YAML.readValue(file.toFile(), TrainOptions.class);
            return o == null ? new TrainOptions() : o;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(file + ": " + e.getOriginalMessage()
                    + " (keys are the flags of 'ortune train' without dashes, e.g. 'batch-size: 8')", e);
        }
    }

    static TrainOptions readJson(Path file) throws IOException {
        return JSON.readValue(file.toFile(), TrainOptions.class);
    }

    String toJson() throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    }

    DataFormat dataFormat() {
        return format == null ? null : DataFormat.parse(format);
    }

    Rows.Layout rowLayout() {
        return layout == null ? Rows.Layout.PACK : Rows.Layout.parse(layout);
    }

    /** The NF4 settings of {@code --quantize nf4}, or null without it. */
    io.ortune.training.qlora.Nf4Config nf4() {
        if (quantize == null) {
            if (Boolean.TRUE.equals(doubleQuant)) {
                throw new IllegalArgumentException("--double-quant needs --quantize nf4");
            }
            return null;
        }
        if (!quantize.equalsIgnoreCase("nf4")) {
            throw new IllegalArgumentException("--quantize " + quantize + ": training supports nf4 (QLoRA) only");
        }
        return io.ortune.training.qlora.Nf4Config.defaults().withDoubleQuant(Boolean.TRUE.equals(doubleQuant));
    }

    /** The PEFT method to inject, or null for none. */
    io.ortune.graph.peft.PeftMethod peftMethod() {
        return peft == null ? null : io.ortune.graph.peft.PeftMethod.parse(peft);
    }

    /** The trainer settings for {@code model} (its recorded trainable set is the default), defaults filled in. */
    TrainerConfig trainerConfig(io.ortune.graph.ir.Model model) {
        TrainerConfig.Builder b = TrainerConfig.builder()
                .trainable(Trainables.of(trainable, freezeLayers, model));
        if (maxSteps != null) {
            b.maxSteps(maxSteps);
        }
        if (epochs != null) {
            b.epochs(epochs);
        }
        if (batchSize != null) {
            b.batchSize(batchSize);
        }
        if (gradAccum != null) {
            b.gradAccum(gradAccum);
        }
        if (lr != null) {
            b.lr(lr);
        }
        if (schedule != null) {
            b.schedule(LrSchedule.Kind.parse(schedule));
        }
        if (warmupRatio != null) {
            b.warmupRatio(warmupRatio);
        }
        if (warmupSteps != null) {
            b.warmupSteps(warmupSteps);
        }
        if (weightDecay != null) {
            b.weightDecay(weightDecay);
        }
        if (maxGradNorm != null) {
            b.maxGradNorm(maxGradNorm);
        }
        if (optimizer != null) {
            b.optimizer(optimizer);
        }
        return moreSettings(b).build();
    }

    private TrainerConfig.Builder moreSettings(TrainerConfig.Builder b) {
        if (evalEvery != null) {
            b.evalEvery(evalEvery);
        }
        if (saveEvery != null) {
            b.saveEvery(saveEvery);
        }
        if (keepCheckpoints != null) {
            b.keepCheckpoints(keepCheckpoints);
        }
        if (patience != null) {
            b.patience(patience);
        }
        if (seed != null) {
            b.seed(seed);
        }
        if (threads != null) {
            b.threads(threads);
        }
        return b;
    }
}
