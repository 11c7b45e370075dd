package io.ortune.cli;

import io.ortune.bench.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ortune report INPUT... -o report.html}: one self-contained HTML page with charts (and report.md beside it)
 * from bench results, training run folders and quantization reports. Thin: {@link Report#assemble} does the work.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Assemble an HTML report (with a Markdown summary beside it) from bench results folders or",
            "results.json files, training run folders (metrics.jsonl) and quantization report JSON files.",
            "  ortune report bench-out runs/lora nf4.json -o report.html"})
final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "INPUT", arity = "1..*", description = "Bench output folders or results.json, training"
            + " run folders, report JSON files.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "report.html", description = "The page to write.")
    Path output;

    @Override
    public Integer call() throws Exception {
        Report.Written w = Report.assemble(inputs, output);
        System.out.println("wrote " + w.html() + " (" + w.charts() + " charts) and " + w.markdown());
        return 0;
    }
}
