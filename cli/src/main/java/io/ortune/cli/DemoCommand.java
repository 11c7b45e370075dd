package io.ortune.cli;

import io.ortune.pipeline.DemoSummary;
import io.ortune.pipeline.Pipeline;
import io.ortune.pipeline.PipelineConfig;
import io.ortune.pipeline.PipelineListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ortune demo [--out DIR]}: runs the bundled default pipeline ({@code minilm-reward}: all-MiniLM-L6-v2 →
 * QLoRA reward model → evaluate → merge → int8 → compile (skipped without a GPU) → bench → report) into
 * {@code DIR} and prints {@link DemoSummary}. A rerun reuses the folder: unchanged stages are skipped. Thin over
 * {@link Pipeline#run}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the bundled default pipeline (MiniLM reward model: train, evaluate, merge, int8, bench, "
                + "report) and print its summary. A rerun reuses the folder.",
            "  ortune demo --out ortune-demo"})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "ortune-demo",
            description = "Pipeline folder (default: ${DEFAULT-VALUE}); an earlier demo run there is reused.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintStream o = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PipelineConfig c = Pipeline.bundled(Pipeline.DEFAULT);
        Pipeline.Result r = Pipeline.run(c, out, PipelineListener.printing(o));
        o.println();
        DemoSummary.lines(r).forEach(o::println);
        return 0;
    }
}
