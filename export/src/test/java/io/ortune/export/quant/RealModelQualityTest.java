package io.ortune.export.quant;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Quality of every mode on the two real models, measured against the float model in ONNX Runtime. */
class RealModelQualityTest {

    @TempDir
    Path dir;

    private static Quality.Decoder decoder(Model m, QuantSettings s, TokenRows calib, TokenRows eval) {
        QuantResult r = Quantizer.quantize(m, s, calib);
        Quality.Decoder q = (Quality.Decoder) QuantQuality.measure(m, r.model(), eval);
        System.out.println("stories260K " + r.summary() + " | " + q.summary());
        return q;
    }

    @Test
    void stories260K() throws Exception {
        Model m = RealData.stories();
        TokenRows calib = TokenRows.read(RealData.sampled(m, dir.resolve("calib.jsonl"), 16, 64, 11), 1000);
        TokenRows eval = TokenRows.read(RealData.sampled(m, dir.resolve("eval.jsonl"), 16, 64, 12), 1000);
        QuantSettings int8 = QuantSettings.int8();
        Quality.Decoder trt = decoder(m, int8, calib, eval);
        Quality.Decoder entropy = decoder(m, int8.withMethod(CalibrationMethod.ENTROPY), calib, eval);
        Quality.Decoder ort = decoder(m, int8.withTarget(QuantTarget.ORT).withMethod(CalibrationMethod.PERCENTILE),
                calib, eval);
        Quality.Decoder dyn = decoder(m, QuantSettings.dynamic(), calib, eval);
        Quality.Decoder int4 = decoder(m, QuantSettings.int4(32), calib, eval);
        // bounds: the measured values (export/README.md) with margin
        assertThat(trt.klMean()).as(trt.summary()).isLessThan(0.03);
        assertThat(trt.top1Agreement()).as(trt.summary()).isGreaterThan(0.9);
        assertThat(entropy.klMean()).as(entropy.summary()).isLessThan(0.03);
        assertThat(entropy.top1Agreement()).as(entropy.summary()).isGreaterThan(0.9);
        for (Quality.Decoder q : new Quality.Decoder[] {ort, dyn}) {
            assertThat(q.klMean()).as(q.summary()).isLessThan(0.01);
            assertThat(q.top1Agreement()).as(q.summary()).isGreaterThan(0.95);
            assertThat(Math.abs(q.pplDelta()) / q.pplFloat()).as(q.summary()).isLessThan(0.01);
        }
        assertThat(int4.klMean()).as(int4.summary()).isLessThan(0.2);
        assertThat(int4.top1Agreement()).as(int4.summary()).isGreaterThan(0.8);
    }

    private static Quality.Encoder encoder(Model m, QuantSettings s, TokenRows calib, TokenRows eval) {
        QuantResult r = Quantizer.quantize(m, s, calib);
        Quality.Encoder q = (Quality.Encoder) QuantQuality.measure(m, r.model(), eval);
        System.out.println("all-MiniLM-L6-v2 " + r.summary() + " " + r.notes() + " | " + q.summary());
        return q;
    }

    @Test
    void miniLmCosine() throws Exception {
        Model m = RealData.miniLm(dir);
        TokenRows calib = TokenRows.read(RealData.verdictRows(dir, "calib.jsonl", 0, 16), 1000);
        TokenRows eval = TokenRows.read(RealData.verdictRows(dir, "eval.jsonl", 40, 16), 1000);
        Quality.Encoder ort = encoder(m, QuantSettings.int8().withTarget(QuantTarget.ORT), calib, eval);
        Quality.Encoder dyn = encoder(m, QuantSettings.dynamic(), calib, eval);
        Quality.Encoder trt = encoder(m, QuantSettings.int8(), calib, eval);
        for (Quality.Encoder q : new Quality.Encoder[] {ort, dyn}) {
            assertThat(q.pooledMean()).as(q.summary()).isGreaterThanOrEqualTo(0.99);
            assertThat(q.cosineMean()).as(q.summary()).isGreaterThanOrEqualTo(0.985);
        }
        // symmetric int8 activations (TensorRT's rule) lose a bit on GELU outputs: measured 0.972 pooled
        assertThat(trt.pooledMean()).as(trt.summary()).isGreaterThanOrEqualTo(0.95);
    }
}
