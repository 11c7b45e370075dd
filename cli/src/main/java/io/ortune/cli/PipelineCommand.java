package io.ortune.cli;

import io.ortune.pipeline.ConfigException;
import io.ortune.pipeline.Pipeline;
import io.ortune.pipeline.PipelineConfig;
import io.ortune.pipeline.PipelineListener;
import io.ortune.pipeline.StageManifest;
import io.ortune.pipeline.StageName;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ortune pipeline --config pipeline.yaml}: a thin shell over {@link Pipeline#run}. The config is checked
 * before any work (problems exit 2, each with its key and line); a failed stage exits 1 naming the stage.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the stages of a pipeline.yaml (base, inject, train, evaluate, merge, quantize, compile, "
            + "bench, report); unchanged stages are skipped, an interrupted training stage resumes.",
            "  ortune pipeline --config pipeline.yaml --dir out",
            "  ortune pipeline --bundled minilm-reward --to evaluate --dir out",
            "  ortune pipeline --config pipeline.yaml --dir out --from train --dry-run"})
final class PipelineCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "pipeline.yaml", description = "The pipeline to run.")
    Path config;

    @Option(names = "--bundled", paramLabel = "NAME",
            description = "A bundled pipeline instead of --config: minilm-reward, stories260k-decoder.")
    String bundled;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "The pipeline folder (default: pipeline-runs/NAME); stage outputs go in DIR/stages/.")
    Path dir;

    @Option(names = "--from", paramLabel = "STAGE", description = "Rerun from this stage even if it is unchanged.")
    String from;

    @Option(names = "--to", paramLabel = "STAGE", description = "Stop after this stage.")
    String to;

    @Option(names = "--dry-run", description = "Check the config and print what would run, skip or resume.")
    boolean dryRun;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((config == null) == (bundled == null)) {
            throw usage("give --config pipeline.yaml or --bundled NAME (one of " + Pipeline.BUNDLED + ")");
        }
        PipelineConfig c;
        Pipeline.Options options;
        try {
            c = config != null ? PipelineConfig.load(CliFiles.existingFile(config, "pipeline config"))
                    : Pipeline.bundled(bundled);
            options = new Pipeline.Options(stage("--from", from), stage("--to", to), dryRun);
        } catch (ConfigException e) {
            throw usage(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        String name = c.file().name() == null ? "pipeline" : c.file().name();
        Path folder = dir != null ? dir : Path.of("pipeline-runs", name);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Pipeline.Result r;
        try {
            r = Pipeline.run(c, folder, options, PipelineListener.printing(out));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (dryRun) {
            r.plan().forEach(p -> out.printf(Locale.ROOT, "%-9s %-6s %s%n", p.stage().key(),
                    p.action().name().toLowerCase(Locale.ROOT), p.reason()));
            return 0;
        }
        out.printf(Locale.ROOT, "pipeline %s: %d stage(s) complete in %s (%.1f s)%n", name, r.stages().size(),
                r.dir(), r.seconds());
        for (StageManifest m : r.stages()) {
            out.printf(Locale.ROOT, "  %-9s %s%n", m.stage(), r.stageDir(StageName.parse(m.stage()))
                    .resolve(StageManifest.FILE));
        }
        return 0;
    }

    private StageName stage(String flag, String value) {
        if (value == null) {
            return null;
        }
        try {
            return StageName.parse(value);
        } catch (IllegalArgumentException e) {
            throw usage(flag + " " + e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
