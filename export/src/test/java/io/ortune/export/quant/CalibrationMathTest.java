package io.ortune.export.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Histogram thresholds against closed forms, the scale formulas, and data-file refusals naming line and key. */
class CalibrationMathTest {

    @TempDir
    Path dir;

    @Test
    void percentileOfUniformMagnitudesIsTheQuantile() {
        float[] xs = new float[20480];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (i % 2 == 0 ? 1 : -1) * (i + 0.5f) / xs.length;   // |x| uniform on (0, 1)
        }
        Histogram h = new Histogram(1.0);
        h.add(xs);
        // ten values per bin: the 90th percentile is the upper edge of bin 1843 (of 2048), within one bin
        assertThat(h.percentile(90)).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1.0 / Histogram.BINS));
        assertThat(h.percentile(100)).isEqualTo(1.0);
    }

    @Test
    void entropyClipsARareOutlierButKeepsTheBulk() {
        Random r = new Random(3);
        float[] xs = new float[100_000];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) r.nextGaussian();
        }
        xs[0] = 40f;   // one outlier sets the range
        Histogram h = new Histogram(40.0);
        h.add(xs);
        double t = h.entropyThreshold();
        // the bulk (|x| ≤ ~4.4 for 1e5 normals) is kept, the lone outlier is clipped
        assertThat(t).isBetween(2.5, 10.0);
    }

    @Test
    void scalesFollowTheirFormulas() {
        TensorRange s = TensorRange.symmetric("x", -2, 1, 2);
        assertThat(s.scale()).isEqualTo((float) (2 / 127.0));
        assertThat(s.zeroPoint()).isZero();
        TensorRange a = TensorRange.asymmetric("x", -1, 3, 3);
        assertThat(a.scale()).isEqualTo((float) (4 / 255.0));
        assertThat(a.zeroPoint()).isEqualTo(64);   // round(1 / (4/255)) = round(63.75)
        TensorRange clipped = TensorRange.asymmetric("x", 0.5, 9, 4);
        assertThat(clipped.scale()).isEqualTo((float) (4 / 255.0));   // [0, 4]: widened to 0, clipped at 4
        assertThat(clipped.zeroPoint()).isZero();
    }

    @Test
    void badDataFilesNameTheLineAndKey() throws Exception {
        Path notJson = Files.writeString(dir.resolve("a.jsonl"), "{\"input_ids\":[1,2]}\n{oops\n");
        assertThatThrownBy(() -> TokenRows.read(notJson, 10)).hasMessageContaining("a.jsonl line 2")
                .hasMessageContaining("not JSON");
        Path text = Files.writeString(dir.resolve("b.jsonl"), "{\"input_ids\":[1,\"x\"]}\n");
        assertThatThrownBy(() -> TokenRows.read(text, 10)).hasMessageContaining("b.jsonl line 1")
                .hasMessageContaining("'input_ids' element 1");
        Path empty = Files.writeString(dir.resolve("c.jsonl"), "\n\n");
        assertThatThrownBy(() -> TokenRows.read(empty, 10)).hasMessageContaining("no rows");
        Path extraKey = Files.writeString(dir.resolve("d.jsonl"), "{\"input_ids\":[1,2,3],\"attention_mask\":[1]}\n");
        TokenRows rows = TokenRows.read(extraKey, 10);
        assertThatThrownBy(() -> rows.feeds(TinyDecoder.build(1))).hasMessageContaining("not an input");
        assertThatThrownBy(() -> new QuantSettings(QuantMode.INT4_WEIGHTS, CalibrationMethod.MINMAX, 99.9, 1,
                QuantTarget.ORT, java.util.List.of(), 24, false, 0)).hasMessageContaining("--block-size");
    }
}
