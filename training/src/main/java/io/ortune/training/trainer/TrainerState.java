package io.ortune.training.trainer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ortune.graph.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Everything besides ONNX Runtime's checkpoint (parameters, optimizer moments and step) that a resumed run needs to
 * continue exactly where an uninterrupted one would be: the optimizer step, the data position (the order of each
 * epoch is drawn from {@code seed} and the epoch, so epoch + index is the whole data/RNG state), the schedule, and
 * the early-stopping bookkeeping. Saved as {@value #FILE} next to each checkpoint and in its property bag.
 *
 * @param step              optimizer steps done
 * @param epoch             data epoch of the next micro-batch
 * @param index             position of the next row in that epoch's order
 * @param seed              data-order seed
 * @param rows              training rows (checked on resume)
 * @param batchSize         rows per micro-batch (checked on resume)
 * @param gradAccum         micro-batches per step (checked on resume)
 * @param totalSteps        steps the schedule spans
 * @param schedule          schedule kind
 * @param baseLr            peak learning rate
 * @param warmupSteps       warm-up steps
 * @param tokensSeen        real tokens trained on
 * @param elapsedSeconds    training time so far
 * @param bestEvalLoss      best eval loss (NaN before any evaluation)
 * @param bestStep          step of the best eval loss (-1 before any)
 * @param evalsWithoutImprovement evaluations since the best one
 */
public record TrainerState(@JsonProperty("step") long step, @JsonProperty("epoch") int epoch,
                           @JsonProperty("index") int index, @JsonProperty("seed") long seed,
                           @JsonProperty("rows") int rows, @JsonProperty("batch_size") int batchSize,
                           @JsonProperty("grad_accum") int gradAccum, @JsonProperty("total_steps") long totalSteps,
                           @JsonProperty("schedule") String schedule, @JsonProperty("base_lr") double baseLr,
                           @JsonProperty("warmup_steps") long warmupSteps,
                           @JsonProperty("tokens_seen") long tokensSeen,
                           @JsonProperty("elapsed_s") double elapsedSeconds,
                           @JsonProperty("best_eval_loss") double bestEvalLoss,
                           @JsonProperty("best_step") long bestStep,
                           @JsonProperty("evals_without_improvement") int evalsWithoutImprovement) {

    /** The sidecar file name. */
    public static final String FILE = "trainer_state.json";
    /** The checkpoint property holding the same JSON. */
    public static final String PROPERTY = "ortune.trainer_state";

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize " + this, e);
        }
    }

    public static TrainerState fromJson(String json, String source) {
        try {
            return MAPPER.readValue(json, TrainerState.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not a trainer state: " + e.getMessage(), e);
        }
    }

    /** Writes {@value #FILE} in {@code dir} atomically. */
    void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve(FILE), toJson());
    }

    static TrainerState read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        return fromJson(java.nio.file.Files.readString(f), f.toString());
    }
}
