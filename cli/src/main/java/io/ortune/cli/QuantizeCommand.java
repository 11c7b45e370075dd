package io.ortune.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.onnx.WriteOptions;
import io.ortune.training.qlora.Nf4Config;
import io.ortune.training.qlora.Nf4QuantizePass;
import io.ortune.training.qlora.Nf4Report;
import io.ortune.training.qlora.QuantErrorStats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ortune quantize IN.onnx --nf4 [--double-quant] [--block-size 64] -o OUT.onnx}: weight-only NF4 (QLoRA's
 * base) with per-tensor error statistics.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Quantize a model's weights.",
            "  ortune quantize model.onnx --nf4 --double-quant -o model-nf4.onnx --report nf4.json"})
final class QuantizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN.onnx", description = "The float model.")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.onnx", description = "Where to write it.")
    Path output;

    @Option(names = "--nf4", required = true,
            description = "NF4 (QLoRA) weight-only quantization of the blocks' linear layers (MatMulBnb4).")
    boolean nf4;

    @Option(names = "--double-quant", description = "Quantize the NF4 block scales again (8-bit, blocks of 256).")
    boolean doubleQuant;

    @Option(names = "--block-size", paramLabel = "N", defaultValue = "64", description = "NF4 block size (default 64).")
    int blockSize;

    @Option(names = "--include-head", description = "Also quantize the output head.")
    boolean includeHead;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write the error statistics as JSON.")
    Path report;

    @Option(names = "--external-data", description = "Write large tensors to OUT.onnx.data beside the model.")
    boolean externalData;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Nf4Config cfg;
        try {
            cfg = new Nf4Config(blockSize, doubleQuant, includeHead);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--block-size: " + e.getMessage());
        }
        Model model = OnnxReader.read(CliFiles.existingFile(input, "input model"));
        Nf4QuantizePass.Result r = new Nf4QuantizePass(cfg).quantize(model);
        System.out.println(r.report().summary());
        for (QuantErrorStats s : r.report().tensors()) {
            System.out.println("  " + s);
        }
        if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
        }
        OnnxWriter.write(r.model(), output, externalData ? WriteOptions.externalData() : WriteOptions.inline());
        System.out.println("wrote " + output);
        System.out.println("note: an NF4 model is for QLoRA training; on CPU, MatMulBnb4 dequantizes the whole weight "
                + "on every call (measured ~4x slower than float at batch 1 decoding): deploy as int4 or int8.");
        if (report != null) {
            writeReport(r.report(), report);
            System.out.println("wrote " + report);
        }
        return 0;
    }

    static void writeReport(Nf4Report r, Path file) throws java.io.IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", "nf4");
        json.put("block_size", r.config().blockSize());
        json.put("double_quant", r.config().doubleQuant());
        json.put("quantized_weights", r.quantizedWeights());
        json.put("float_bytes", r.floatBytes());
        json.put("stored_bytes", r.storedBytes());
        json.put("bits_per_parameter", r.bitsPerParameter());
        json.put("tensors", r.tensors().stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.tensor());
            m.put("elements", t.elements());
            m.put("mean_abs_error", t.meanAbsError());
            m.put("max_abs_error", t.maxAbsError());
            m.put("rel_frobenius_error", t.relFrobenius());
            return m;
        }).toList());
        json.put("skipped", r.skipped().stream().map(s -> Map.of("module", s.module(), "reason", s.reason()))
                .toList());
        String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        AtomicFiles.writeString(file, text + "\n");
    }
}
