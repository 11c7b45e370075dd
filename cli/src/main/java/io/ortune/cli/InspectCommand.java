package io.ortune.cli;

import io.ortune.export.adapter.PeftAdapterFiles;
import io.ortune.export.hotswap.OnnxAdapterFile;
import io.ortune.graph.inspect.ModelSummary;
import io.ortune.graph.inspect.SummaryPrinter;
import io.ortune.graph.io.ReadableFiles;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.models.weights.Llama2cCheckpoint;
import io.ortune.models.weights.SafetensorsFile;
import io.ortune.models.weights.WeightsSummary;
import io.ortune.training.artifacts.CheckpointReader;
import io.ortune.training.trainer.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ortune inspect PATH}: a summary of any format ortune reads, recognised by content and layout (see
 * {@link InspectTarget}); each summary comes from the module owning the format.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Summarise a model (.onnx: inputs/outputs, opsets, parameters by dtype, op histogram, external "
                + "data), a safetensors or llama2.c weights file, a training run folder, a checkpoint (file or "
                + "folder), a PEFT adapter folder or an .onnx_adapter file.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PATH", description = "The file or folder to inspect.")
    Path path;

    @Option(names = "--tensors", paramLabel = "N", description = "Tensor lines to list at most (default 20).")
    int tensors = 20;

    @Override
    public Integer call() throws Exception {
        Path p = Files.isDirectory(path) ? ReadableFiles.folder(path, "inspect") : CliFiles.existingFile(path,
                "inspect");
        String s = path.toString();
        System.out.print(switch (InspectTarget.of(p)) {
            case ONNX -> SummaryPrinter.format(s, ModelSummary.of(OnnxReader.read(p)));
            case SAFETENSORS -> WeightsSummary.of(SafetensorsFile.open(p)).format(s, tensors);
            case LLAMA2C -> WeightsSummary.of(Llama2cCheckpoint.open(p)).format(s, tensors);
            case ONNX_ADAPTER -> InspectPrinters.onnxAdapter(s, OnnxAdapterFile.read(p), tensors);
            case CHECKPOINT_FILE -> InspectPrinters.checkpoint(s, CheckpointReader.read(p), tensors);
            case CHECKPOINT_FOLDER -> InspectPrinters.checkpointFolder(s, p, tensors);
            case RUN_FOLDER -> RunSummary.of(p).format();
            case PEFT_ADAPTER -> InspectPrinters.peftAdapter(s, PeftAdapterFiles.read(p), tensors);
        });
        return 0;
    }
}
