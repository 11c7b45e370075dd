package io.ortune.export.quant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code ortune quantize --report FILE.json} writes: the settings, what was quantized, the model sizes and the
 * measured quality (absent when no evaluation data was given).
 *
 * @param settings   the settings used
 * @param result     what the quantizer did (its model is not serialized)
 * @param floatBytes size of the float model as a single .onnx file
 * @param quantBytes size of the quantized model as a single .onnx file
 * @param parameters float parameters of the original model (elements of its floating-point initializers)
 * @param quality    measured quality, or null
 */
public record QuantReport(QuantSettings settings, QuantResult result, long floatBytes, long quantBytes,
                          long parameters, Quality quality) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The report for {@code result}, made from {@code original}, sizes measured by serializing both. */
    public static QuantReport of(Model original, QuantSettings s, QuantResult result, Quality quality) {
        long params = 0;
        for (Value v : original.graph().initializers().values()) {
            if (v.constant().dtype().isFloatingPoint()) {
                params += v.constant().elementCount();
            }
        }
        try {
            return new QuantReport(s, result, OnnxWriter.toBytes(original).length,
                    OnnxWriter.toBytes(result.model()).length, params, quality);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes of the quantized file per float parameter of the original (4 for float32 itself). */
    public double bytesPerParameter() {
        return parameters == 0 ? Double.NaN : (double) quantBytes / parameters;
    }

    /** The lines {@code ortune quantize} prints. */
    public String summary() {
        StringBuilder sb = new StringBuilder(result.summary()).append('\n');
        sb.append(String.format(java.util.Locale.ROOT, "size %d -> %d bytes (%.2fx smaller), %.3f bytes/parameter",
                floatBytes, quantBytes, (double) floatBytes / quantBytes, bytesPerParameter()));
        if (quality != null) {
            sb.append('\n').append(quality.summary());
        }
        return sb.toString();
    }

    /** The report as JSON (keys in snake_case). */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", settings.mode().name().toLowerCase(java.util.Locale.ROOT));
        if (settings.mode() == QuantMode.INT8_STATIC) {
            m.put("method", settings.method().cliName());
            m.put("target", settings.target().cliName());
            m.put("samples", result.plan() == null ? null : result.plan().samples());
        }
        if (settings.mode() == QuantMode.INT4_WEIGHTS) {
            m.put("block_size", settings.blockSize());
            m.put("zero_points", settings.zeroPoints());
            m.put("accuracy_level", settings.accuracyLevel());
        }
        m.put("exclude", settings.exclude());
        m.put("quantized_weights", result.weights());
        m.put("quantized_activations", result.activations());
        m.put("skipped", result.skipped().stream().map(s -> Map.of("name", s.name(), "reason", s.reason())).toList());
        m.put("notes", result.notes());
        m.put("float_bytes", floatBytes);
        m.put("quantized_bytes", quantBytes);
        m.put("parameters", parameters);
        m.put("bytes_per_parameter", bytesPerParameter());
        m.put("quality", quality == null ? null : qualityJson(quality));
        try {
            return JSON.writeValueAsString(m) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The quality as the report's {@code quality} object (snake_case keys). */
    public static Map<String, Object> qualityJson(Quality q) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (q instanceof Quality.Decoder d) {
            m.put("kind", "decoder");
            m.put("rows", d.rows());
            m.put("positions", d.positions());
            m.put("perplexity_float", d.pplFloat());
            m.put("perplexity_quantized", d.pplQuant());
            m.put("perplexity_delta", d.pplDelta());
            m.put("kl_mean", d.klMean());
            m.put("kl_p99", d.klP99());
            m.put("kl_max", d.klMax());
            m.put("top1_agreement", d.top1Agreement());
        } else if (q instanceof Quality.Encoder e) {
            m.put("kind", "encoder");
            m.put("rows", e.rows());
            m.put("output", e.output());
            m.put("vectors", e.vectors());
            m.put("cosine_mean", e.cosineMean());
            m.put("cosine_min", e.cosineMin());
            m.put("pooled_cosine_mean", Double.isNaN(e.pooledMean()) ? null : e.pooledMean());
            m.put("pooled_cosine_min", Double.isNaN(e.pooledMin()) ? null : e.pooledMin());
            m.put("accuracy_float", Double.isNaN(e.accuracyFloat()) ? null : e.accuracyFloat());
            m.put("accuracy_quantized", Double.isNaN(e.accuracyQuant()) ? null : e.accuracyQuant());
            m.put("accuracy_delta", Double.isNaN(e.accuracyFloat()) ? null : e.accuracyDelta());
        }
        return m;
    }

    /** Writes {@link #toJson()} atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson());
    }
}
