package io.ortune.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ortune.export.quant.CalibrationMethod;
import io.ortune.export.quant.CalibrationPlan;
import io.ortune.export.quant.QuantMode;
import io.ortune.export.quant.QuantQuality;
import io.ortune.export.quant.QuantReport;
import io.ortune.export.quant.QuantResult;
import io.ortune.export.quant.QuantSettings;
import io.ortune.export.quant.QuantTarget;
import io.ortune.export.quant.Quality;
import io.ortune.export.quant.Quantizer;
import io.ortune.export.quant.TokenRows;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ortune quantize IN.onnx -o OUT.onnx (--int8 ... | --dynamic | --int4-weights ... | --nf4 ...)
 * [--eval-data F] [--report FILE.json]}: thin over {@link Quantizer} / {@link QuantQuality} ({@code export.quant})
 * and {@link Nf4QuantizePass} ({@code training.qlora}). Everything is checked and measured before anything is
 * written.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Quantize a model: static int8 QDQ, dynamic int8, int4 weight-only or NF4, with measured quality.",
            "  ortune quantize model.onnx -o int8.onnx --int8 --calibration-data calib.jsonl --method entropy "
                + "--eval-data eval.jsonl --report q.json",
            "  ortune quantize model.onnx -o int4.onnx --int4-weights --block-size 32",
            "  ortune quantize model.onnx --nf4 --double-quant -o model-nf4.onnx --report nf4.json"})
final class QuantizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN.onnx", description = "The float model.")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.onnx", description = "Where to write it.")
    Path output;

    @Option(names = "--int8", description = "Static int8 QDQ: per-channel int8 weights, activations calibrated.")
    boolean int8;

    @Option(names = "--dynamic", description = "Dynamic int8 for ONNX Runtime CPU (DynamicQuantizeMatMul).")
    boolean dynamic;

    @Option(names = "--int4-weights", description = "int4 weight-only, round to nearest (MatMulNBits).")
    boolean int4;

    @Option(names = "--nf4", description = "NF4 (QLoRA) weight-only quantization of the blocks' linear layers "
            + "(MatMulBnb4).")
    boolean nf4;

    @Option(names = "--calibration-data", paramLabel = "F", description = "--int8: JSON lines of token ids, "
            + "e.g. {\"input_ids\":[1,2,3]} (keys are model inputs).")
    Path calibrationData;

    @Option(names = "--method", paramLabel = "minmax|percentile|entropy", defaultValue = "minmax",
            description = "--int8 calibration method (default minmax).")
    String method;

    @Option(names = "--percentile", paramLabel = "P", defaultValue = "99.99",
            description = "--method percentile: the percentile of |x| kept (default 99.99).")
    double percentile;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "128",
            description = "--int8: calibration rows run (default 128).")
    int samples;

    @Option(names = "--for", paramLabel = "tensorrt|ort", defaultValue = "tensorrt",
            description = "--int8 placement rules (default tensorrt).")
    String target;

    @Option(names = "--exclude", paramLabel = "PATTERN", description = "Leave layers/nodes whose module path or "
            + "node name matches this regular expression float (repeatable).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--plan", paramLabel = "FILE.json", description = "--int8: apply this calibration plan "
            + "instead of calibrating.")
    Path plan;

    @Option(names = "--plan-out", paramLabel = "FILE.json", description = "--int8: also write the calibration plan.")
    Path planOut;

    @Option(names = "--block-size", paramLabel = "N",
            description = "Block size: --int4-weights default 32 (MatMulNBits), --nf4 default 64 (QLoRA's).")
    Integer blockSize;

    @Option(names = "--zero-points", description = "--int4-weights: asymmetric blocks with zero points.")
    boolean zeroPoints;

    @Option(names = "--accuracy-level", paramLabel = "N", defaultValue = "0",
            description = "--int4-weights: MatMulNBits accuracy_level (0 unset, 1 fp32, 2 fp16, 3 bf16, 4 int8).")
    int accuracyLevel;

    @Option(names = "--double-quant", description = "--nf4: quantize the block scales again (8-bit, blocks of 256).")
    boolean doubleQuant;

    @Option(names = "--include-head", description = "--nf4: also quantize the output head.")
    boolean includeHead;

    @Option(names = "--eval-data", paramLabel = "F", description = "Measure quality against the float model on "
            + "these rows (same format as --calibration-data).")
    Path evalData;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write what was done, sizes and quality "
            + "as JSON.")
    Path report;

    @Option(names = "--external-data", description = "Write large tensors to OUT.onnx.data beside the model.")
    boolean externalData;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int modes = (int8 ? 1 : 0) + (dynamic ? 1 : 0) + (int4 ? 1 : 0) + (nf4 ? 1 : 0);
        if (modes != 1) {
            throw fail("give exactly one of --int8, --dynamic, --int4-weights, --nf4");
        }
        Model model = OnnxReader.read(CliFiles.existingFile(input, "input model"));
        TokenRows eval = evalData == null ? null
                : TokenRows.read(CliFiles.existingFile(evalData, "--eval-data file"), Integer.MAX_VALUE);
        return nf4 ? nf4(model, eval) : quantize(model, eval);
    }

    private int quantize(Model model, TokenRows eval) throws Exception {
        QuantSettings s = settings();
        QuantResult r;
        if (s.mode() == QuantMode.INT8_STATIC && plan != null) {
            r = Quantizer.applyPlan(model, s, CalibrationPlan.read(CliFiles.existingFile(plan, "--plan file")));
        } else if (s.mode() == QuantMode.INT8_STATIC) {
            if (calibrationData == null) {
                throw fail("--int8 needs --calibration-data FILE (JSON lines like {\"input_ids\":[1,2,3]}) or "
                        + "--plan FILE.json; or use --dynamic");
            }
            r = Quantizer.quantize(model, s, TokenRows.read(CliFiles.existingFile(calibrationData,
                    "--calibration-data file"), s.samples()));
        } else {
            r = Quantizer.quantize(model, s);
        }
        Quality quality = eval == null ? null : QuantQuality.measure(model, r.model(), eval);
        QuantReport rep = QuantReport.of(model, s, r, quality);
        r.notes().forEach(n -> System.out.println("note: " + n));
        r.skipped().forEach(k -> System.out.println("  skipped " + k));
        System.out.println(rep.summary());
        write(r.model());
        if (planOut != null && r.plan() != null) {
            r.plan().write(planOut);
            System.out.println("wrote " + planOut);
        }
        if (report != null) {
            rep.write(report);
            System.out.println("wrote " + report);
        }
        return 0;
    }

    private QuantSettings settings() {
        try {
            QuantSettings base = int8 ? QuantSettings.int8() : dynamic ? QuantSettings.dynamic()
                    : QuantSettings.int4(blockSize == null ? QuantSettings.DEFAULT_INT4_BLOCK : blockSize);
            return base.withMethod(CalibrationMethod.parse(method)).withPercentile(percentile).withSamples(samples)
                    .withTarget(int8 ? QuantTarget.parse(target) : base.target()).withExclude(exclude)
                    .withZeroPoints(zeroPoints).withAccuracyLevel(accuracyLevel);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    private int nf4(Model model, TokenRows eval) throws Exception {
        Nf4Config cfg;
        try {
            cfg = new Nf4Config(blockSize == null ? 64 : blockSize, doubleQuant, includeHead);
        } catch (IllegalArgumentException e) {
            throw fail("--block-size: " + e.getMessage());
        }
        Nf4QuantizePass.Result r = new Nf4QuantizePass(cfg).quantize(model);
        Quality quality = eval == null ? null : QuantQuality.measure(model, r.model(), eval);
        System.out.println(r.report().summary());
        for (QuantErrorStats s : r.report().tensors()) {
            System.out.println("  " + s);
        }
        if (quality != null) {
            System.out.println(quality.summary());
        }
        write(r.model());
        System.out.println("note: an NF4 model is for QLoRA training; on CPU, MatMulBnb4 dequantizes the whole weight "
                + "on every call (measured ~4x slower than float at batch 1 decoding): deploy as int4 or int8.");
        if (report != null) {
            writeReport(r.report(), quality, report);
            System.out.println("wrote " + report);
        }
        return 0;
    }

    private void write(Model m) throws java.io.IOException {
        if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
        }
        OnnxWriter.write(m, output, externalData ? WriteOptions.externalData() : WriteOptions.inline());
        System.out.println("wrote " + output);
    }

    private CommandLine.ParameterException fail(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    static void writeReport(Nf4Report r, Quality quality, Path file) throws java.io.IOException {
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
        if (quality != null) {
            json.put("quality", QuantReport.qualityJson(quality));
        }
        String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        AtomicFiles.writeString(file, text + "\n");
    }
}
