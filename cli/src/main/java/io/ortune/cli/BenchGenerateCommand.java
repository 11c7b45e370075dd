package io.ortune.cli;

import io.ortune.bench.BenchSettings;
import io.ortune.bench.GenerationBenchmark;
import io.ortune.bench.GenerationReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ortune bench-generate}: prefill latency and decode tokens/s of the generation loop in ONNX Runtime next
 * to PyTorch eager (tools/torch_bench.py) on stories260K and a GPT-2-small-shaped model; prints a Markdown section
 * and, with {@code --doc}, writes it into docs/benchmarks.md.
 */
@Command(name = "bench-generate", mixinStandardHelpOptions = true,
        description = {"Benchmark generation (prefill ms, decode tokens/s) in ONNX Runtime against PyTorch eager.",
            "Run from the repository root on an idle machine:",
            "  ortune bench-generate --doc docs/benchmarks.md"})
final class BenchGenerateCommand implements Callable<Integer> {

    @Option(names = "--models", paramLabel = "NAME", split = ",", defaultValue = "stories260K,gpt2-small",
            description = "Models to measure (default: ${DEFAULT-VALUE}).")
    List<String> models = new ArrayList<>();


    @Option(names = "--prompt-len", paramLabel = "N", defaultValue = "128", description = "Prompt tokens (default: ${DEFAULT-VALUE}).")
    int promptLength;

    @Option(names = "--new-tokens", paramLabel = "N", defaultValue = "64", description = "Generated tokens (default: ${DEFAULT-VALUE}).")
    int newTokens;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "Untimed prefill runs (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "10", description = "Timed prefill runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--decode-runs", paramLabel = "N", defaultValue = "3", description = "Timed decode runs (default: ${DEFAULT-VALUE}).")
    int decodeRuns;






    @CommandLine.Mixin
    BenchOptions bench = new BenchOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path base = bench.base();
        BenchSettings settings;
        try {
            settings = new BenchSettings(models, bench.threads, promptLength, newTokens, warmup, runs, decodeRuns,
                    base.resolve("testdata/models/stories260K.bin"), bench.workDir("bench-generate"),
                    bench.pythonOrNull(), bench.torchScript());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        CliFiles.existingFile(settings.stories(), "stories260K checkpoint (is --root the repository root?)");
        GenerationReport report = GenerationBenchmark.run(settings, System.err);
        String section = report.markdown(BenchOptions.command(spec));
        System.out.print(section);
        if (bench.doc != null) {
            GenerationReport.updateDocument(bench.doc, section);
            System.err.println("wrote the '" + GenerationReport.HEADING.substring(3) + "' section of " + bench.doc);
        }
        return 0;
    }
}
