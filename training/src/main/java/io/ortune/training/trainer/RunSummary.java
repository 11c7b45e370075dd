package io.ortune.training.trainer;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code ortune inspect RUN_DIR} shows of a training run folder: steps done and planned, the latest and best
 * checkpoints, a summary of {@value Trainer#METRICS} (last and lowest loss, loss spikes), the eval count, and which
 * run files (exported model, adapter folder, configuration) are present.
 *
 * @param run              the folder
 * @param stepsLogged      the last step in the metrics log (0 when empty)
 * @param latestCheckpoint the newest valid checkpoint folder
 * @param checkpointState  its trainer state (steps done, steps planned, tokens, time)
 * @param best             the best-eval checkpoint folder
 * @param lastLoss         loss of the last logged step (NaN when none)
 * @param minLoss          lowest logged loss (NaN when none)
 * @param spikes           steps flagged {@code loss_spike} in the log
 * @param evals            lines in {@value Trainer#EVALS}
 * @param files            the other entries of the folder (model, adapter folder, configuration files)
 */
public record RunSummary(Path run, long stepsLogged, Optional<Path> latestCheckpoint,
                         Optional<TrainerState> checkpointState, Optional<Path> best, double lastLoss, double minLoss,
                         List<Long> spikes, int evals, List<String> files) {

    public RunSummary {
        spikes = List.copyOf(spikes);
        files = List.copyOf(files);
    }

    /** Whether {@code dir} looks like a run folder: it holds {@value Trainer#CHECKPOINTS} or the metrics log. */
    public static boolean isRunFolder(Path dir) {
        return Files.isDirectory(dir.resolve(Trainer.CHECKPOINTS)) || Files.isRegularFile(dir.resolve(Trainer.METRICS));
    }

    /**
     * Summarises the run folder {@code run}.
     *
     * @throws IllegalArgumentException when it is not a run folder, or its metrics log has a malformed line (the
     *                                  file and line named)
     */
    public static RunSummary of(Path run) throws IOException {
        if (!isRunFolder(run)) {
            throw new IllegalArgumentException(run + " is not a training run folder: it has neither "
                    + Trainer.CHECKPOINTS + "/ nor " + Trainer.METRICS);
        }
        CheckpointDir dir = new CheckpointDir(run.resolve(Trainer.CHECKPOINTS), 0);
        Optional<Path> latest = dir.latest();
        Optional<TrainerState> state = latest.isPresent() ? Optional.of(TrainerState.read(latest.get()))
                : Optional.empty();
        Optional<Path> best = new CheckpointDir(run.resolve(Trainer.BEST), 1).latest();
        long steps = 0;
        double last = Double.NaN;
        double min = Double.NaN;
        List<Long> spikes = new ArrayList<>();
        for (JsonNode n : lines(run.resolve(Trainer.METRICS))) {
            steps = n.path("step").asLong();
            last = n.path("loss").asDouble(Double.NaN);
            min = Double.isNaN(min) || last < min ? last : min;
            if (n.path("loss_spike").asBoolean(false)) {
                spikes.add(steps);
            }
        }
        int evals = lines(run.resolve(Trainer.EVALS)).size();
        List<String> files = new ArrayList<>();
        try (var list = Files.list(run)) {
            list.map(p -> p.getFileName().toString() + (Files.isDirectory(p) ? "/" : "")).sorted()
                    .filter(n -> !n.equals(Trainer.CHECKPOINTS + "/") && !n.equals(Trainer.BEST + "/")
                            && !n.equals(Trainer.METRICS) && !n.equals(Trainer.EVALS))
                    .forEach(files::add);
        }
        return new RunSummary(run, steps, latest, state, best, last, min, spikes, evals, files);
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).isBlank()) {
                continue;
            }
            try {
                out.add(TrainerState.MAPPER.readTree(all.get(i)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": not a JSON line ("
                        + e.getOriginalMessage() + ")", e);
            }
        }
        return out;
    }

    /** The text {@code ortune inspect} prints. */
    public String format() {
        StringBuilder b = new StringBuilder(run + " (training run folder)\n");
        b.append("  steps logged: ").append(stepsLogged);
        checkpointState.ifPresent(s -> b.append(" of ").append(s.totalSteps()).append(" planned"));
        b.append('\n');
        b.append("  latest checkpoint: ").append(latestCheckpoint.map(Path::toString).orElse("none")).append('\n');
        checkpointState.ifPresent(s -> b.append("    step ").append(s.step()).append(", tokens ")
                .append(s.tokensSeen()).append(", ").append(String.format(java.util.Locale.ROOT, "%.1f s",
                        s.elapsedSeconds())).append(", resume with: ortune train --resume ").append(run).append('\n'));
        b.append("  best checkpoint: ").append(best.map(Path::toString).orElse("none")).append('\n');
        b.append("  loss: last ").append(lastLoss).append(", lowest ").append(minLoss).append('\n');
        b.append("  loss spikes: ").append(spikes.isEmpty() ? "none" : "steps " + spikes).append('\n');
        b.append("  evaluations: ").append(evals).append('\n');
        b.append("  other files: ").append(files.isEmpty() ? "none" : String.join(", ", files)).append('\n');
        return b.toString();
    }
}
