package io.ortune.export.quant;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Quality of every mode on stories260K (upstream weights), measured against the float model in ONNX Runtime. */
class Stories260KQualityTest {

    @TempDir
    Path dir;

    private static Quality.Decoder decoder(Model m, QuantSettings s, TokenRows calib, TokenRows eval) {
        QuantResult r = Quantizer.quantize(m, s, calib);
        Quality.Decoder q = (Quality.Decoder) QuantQuality.measure(m, r.model(), eval);
        System.out.println("stories260K " + r.summary() + " | " + q.summary());
        return q;
    }

    @Test
    void everyModeAgainstFloat() throws Exception {
        Model m = RealData.stories();
        TokenRows calib = TokenRows.read(RealData.sampled(m, dir.resolve("calib.jsonl"), 8, 64, 11), 1000);
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

}
