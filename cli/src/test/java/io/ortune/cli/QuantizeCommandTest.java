package io.ortune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** {@code ortune quantize --int8 / --dynamic / --int4-weights}: files, report keys, refusals that write nothing. */
class QuantizeCommandTest {

    @TempDir
    Path dir;

    private Path llama() throws IOException {
        Path p = dir.resolve("llama.onnx");
        OnnxWriter.write(ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"llama\",\"vocab_size\":64,"
                + "\"hidden_size\":32,\"intermediate_size\":48,\"num_hidden_layers\":2,\"num_attention_heads\":4,"
                + "\"num_key_value_heads\":2,\"max_position_embeddings\":64}", "t"), 1, Form.TRAINING), p);
        return p;
    }

    private Path rows(String name, String key, long seed) throws IOException {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            StringBuilder sb = new StringBuilder("{\"" + key + "\":[");
            for (int j = 0; j < 10; j++) {
                sb.append(j == 0 ? "" : ",").append(r.nextInt(64));
            }
            lines.add(sb.append("]}").toString());
        }
        return Files.write(dir.resolve(name), lines);
    }

    @Test
    void int8WritesModelPlanAndReportWithQuality() throws Exception {
        Path out = dir.resolve("int8.onnx");
        Path report = dir.resolve("q.json");
        Path plan = dir.resolve("plan.json");
        CliRun r = CliRun.of("quantize", llama().toString(), "-o", out.toString(), "--int8", "--calibration-data",
                rows("calib.jsonl", "input_ids", 1).toString(), "--method", "percentile", "--for", "ort",
                "--eval-data", rows("eval.jsonl", "input_ids", 2).toString(), "--report", report.toString(),
                "--plan-out", plan.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("int8_static:", "bytes/parameter", "top-1 agreement");
        JsonNode j = new ObjectMapper().readTree(report.toFile());
        assertThat(j.get("mode").asText()).isEqualTo("int8_static");
        assertThat(j.get("method").asText()).isEqualTo("percentile");
        assertThat(j.path("quality").path("kl_mean").isNumber()).isTrue();
        assertThat(j.path("quality").path("top1_agreement").isNumber()).isTrue();
        assertThat(j.path("bytes_per_parameter").asDouble()).isBetween(0.5, 4.0);
        assertThat(Files.readString(plan)).contains("\"ortune-calibration-plan\"", "\"uint8\"");
        assertThat(OnnxReader.read(out).graph().nodes()).anyMatch(n -> n.opType().equals("QuantizeLinear"));
        // the saved plan re-applies
        Path again = dir.resolve("again.onnx");
        CliRun re = CliRun.of("quantize", llama().toString(), "-o", again.toString(), "--int8", "--for", "ort",
                "--plan", plan.toString());
        assertThat(re.exit()).as(re.toString()).isZero();
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(out));
    }

    @Test
    void dynamicAndInt4Write() throws Exception {
        for (String[] mode : new String[][] {{"--dynamic"}, {"--int4-weights", "--block-size", "16"}}) {
            Path out = dir.resolve("m.onnx");
            CliRun r = CliRun.of(concat(new String[] {"quantize", llama().toString(), "-o", out.toString()}, mode));
            assertThat(r.exit()).as(r.toString()).isZero();
            String op = mode[0].equals("--dynamic") ? "DynamicQuantizeMatMul" : "MatMulNBits";
            assertThat(OnnxReader.read(out).graph().nodes()).anyMatch(n -> n.opType().equals(op));
        }
    }

    @Test
    void calibrationFileWithTheWrongInputsWritesNothing() throws Exception {
        Path out = dir.resolve("bad.onnx");
        Path report = dir.resolve("bad.json");
        CliRun r = CliRun.of("quantize", llama().toString(), "-o", out.toString(), "--int8", "--calibration-data",
                rows("wrong.jsonl", "pixel_values", 1).toString(), "--report", report.toString());
        assertThat(r.exit()).as(r.toString()).isNotZero();
        assertThat(r.err()).contains("wrong.jsonl row 1", "'pixel_values' is not an input", "input_ids");
        assertThat(out).doesNotExist();
        assertThat(report).doesNotExist();
        CliRun none = CliRun.of("quantize", llama().toString(), "-o", out.toString(), "--int8");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("--calibration-data");
        assertThat(out).doesNotExist();
    }

    @Test
    void modelWithNothingToQuantizeWritesNothing() throws Exception {
        GraphBuilder b = GraphBuilder.create("none");
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        b.output(b.relu(x), "y");
        Path in = dir.resolve("none.onnx");
        OnnxWriter.write(b.model(), in);
        Path out = dir.resolve("out.onnx");
        CliRun r = CliRun.of("quantize", in.toString(), "-o", out.toString(), "--dynamic");
        assertThat(r.exit()).as(r.toString()).isNotZero();
        assertThat(r.err()).contains("nothing to quantize");
        assertThat(out).doesNotExist();
        CliRun two = CliRun.of("quantize", in.toString(), "-o", out.toString(), "--dynamic", "--int4-weights");
        assertThat(two.exit()).isEqualTo(2);
        assertThat(two.err()).contains("exactly one of");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
