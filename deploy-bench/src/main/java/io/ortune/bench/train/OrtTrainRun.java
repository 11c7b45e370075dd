package io.ortune.bench.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One setting measured by {@link TrainChild} in a child JVM (the same Java and class path as this one), so that the
 * peak RSS is that setting's alone.
 *
 * @param mode              the setting
 * @param medianStepS       median timed step, seconds
 * @param minStepS          fastest timed step
 * @param maxStepS          slowest timed step
 * @param tokensPerS        batch·seq / median step
 * @param sessionS          checkpoint load + session creation, seconds
 * @param rssAfterSessionMiB resident memory once the session exists
 * @param peakRssMiB        {@code VmHWM} of the child at the end
 * @param firstLoss         loss of the first (warm-up) step
 * @param lastLoss          loss of the last step
 * @param trainableParams   what ONNX Runtime reports as trainable
 */
public record OrtTrainRun(TrainMode mode, double medianStepS, double minStepS, double maxStepS, double tokensPerS,
                          double sessionS, double rssAfterSessionMiB, double peakRssMiB, double firstLoss,
                          double lastLoss, long trainableParams) {

    /**
     * Runs {@link TrainChild} over {@code artifacts}; its JSON is kept as {@code ortune-<mode>.json} in the
     * work folder.
     */
    static OrtTrainRun run(BenchArtifacts.Built artifacts, TrainBenchSettings s, PrintStream log)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.add("-Xmx" + s.childHeap());
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(TrainChild.class.getName());
        argv.add(artifacts.dir().toString());
        argv.add(Integer.toString(s.threads()));
        argv.add(Integer.toString(s.batch()));
        argv.add(Integer.toString(s.seq()));
        argv.add(Integer.toString(s.warmupSteps()));
        argv.add(Integer.toString(s.steps()));
        argv.add(Long.toString(s.seed()));
        argv.add(Float.toString(s.lr()));
        argv.add(Integer.toString(BenchArtifacts.config().vocabSize()));
        argv.add(Boolean.toString(s.memoryPattern()));
        Path out = s.workDir().resolve("ortune-" + artifacts.mode().cliName() + ".json");
        Process p = new ProcessBuilder(argv).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int code = p.waitFor();
        String text = Files.readString(out, StandardCharsets.UTF_8).trim();
        if (code != 0 || text.isEmpty()) {
            throw new IOException("the ortune training child for '" + artifacts.mode().cliName() + "' failed with exit "
                    + "code " + code + " (its output is above): " + String.join(" ", argv.subList(4, argv.size())));
        }
        log.printf("  ortune %s: %s%n", artifacts.mode().cliName(), text);
        return parse(artifacts.mode(), new ObjectMapper().readTree(text));
    }

    static OrtTrainRun parse(TrainMode mode, JsonNode j) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (JsonNode t : j.path("step_s")) {
            min = Math.min(min, t.asDouble());
            max = Math.max(max, t.asDouble());
        }
        JsonNode losses = j.path("losses");
        return new OrtTrainRun(mode, j.path("median_step_s").asDouble(), min, max, j.path("tokens_per_s").asDouble(),
                j.path("session_s").asDouble(), j.path("rss_after_session_mib").asDouble(),
                j.path("peak_rss_mib").asDouble(), losses.path(0).asDouble(Double.NaN),
                losses.path(losses.size() - 1).asDouble(Double.NaN), j.path("trainable_params").asLong());
    }
}
