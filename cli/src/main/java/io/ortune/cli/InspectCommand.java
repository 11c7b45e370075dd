package io.ortune.cli;

import io.ortune.graph.inspect.ModelSummary;
import io.ortune.graph.inspect.SummaryPrinter;
import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ortune inspect MODEL.onnx}: signature, opsets, parameters by dtype, op histogram, external data. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a model's inputs/outputs, opsets, parameter count and bytes by dtype, op histogram "
                + "and external data files.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The model to inspect.")
    Path model;

    @Override
    public Integer call() throws Exception {
        Model m = OnnxReader.read(CliFiles.existingFile(model, "model"));
        System.out.print(SummaryPrinter.format(model.toString(), ModelSummary.of(m)));
        return 0;
    }
}
