package io.ortune.graph.build;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Known IEEE half and bfloat16 encodings (exact: bit patterns). */
class ScalarsTest {

    @ParameterizedTest(name = "half({0}) = {1}")
    @CsvSource({
        "0.0, 0x0000", "-0.0, 0x8000", "1.0, 0x3c00", "-2.0, 0xc000", "0.5, 0x3800", "65504, 0x7bff",
        "65520, 0x7c00", "1e-8, 0x0000", "5.960464477539063e-8, 0x0001", "6.103515625e-5, 0x0400",
        "0.1, 0x2e66", "Infinity, 0x7c00", "NaN, 0x7e00"})
    void half(float value, String bits) {
        assertThat(Scalars.floatToHalf(value) & 0xffff).isEqualTo(Integer.decode(bits));
    }

    @ParameterizedTest(name = "bfloat16({0}) = {1}")
    @CsvSource({"1.0, 0x3f80", "-2.0, 0xc000", "0.1, 0x3dcd", "3.0e38, 0x7f62"})
    void bfloat16(float value, String bits) {
        assertThat(Scalars.floatToBfloat16(value) & 0xffff).isEqualTo(Integer.decode(bits));
    }
}
