package io.ortune.tensorrt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProfileSpecTest {

    @Test
    void parsesNameAndThreeShapes() {
        ProfileSpec p = ProfileSpec.parse("input_ids:1x1,4x128,8x512");
        assertThat(p.input()).isEqualTo("input_ids");
        assertThat(p.min()).containsExactly(1, 1);
        assertThat(p.opt()).containsExactly(4, 128);
        assertThat(p.max()).containsExactly(8, 512);
        assertThat(p.rank()).isEqualTo(2);
    }

    @Test
    void printsTheFormItReads() {
        for (String s : new String[] {"input_ids:1x1,4x128,8x512", "lengths:1,4,8", "past.0.key:1x12x0x64,1x12x64x64,"
                + "4x12x512x64"}) {
            assertThat(ProfileSpec.parse(s).toString()).isEqualTo(s);
            assertThat(ProfileSpec.parse(s)).isEqualTo(ProfileSpec.parse(ProfileSpec.parse(s).toString()));
        }
    }

    @Test
    void nameMayHoldColonsAndSpacesAroundShapesAreIgnored() {
        ProfileSpec p = ProfileSpec.parse("encoder:input:1X2, 2x2 ,4x2");
        assertThat(p.input()).isEqualTo("encoder:input");
        assertThat(p.max()).containsExactly(4, 2);
    }

    @Test
    void zeroLengthMinimumIsAllowedForEmptyCaches() {
        assertThat(ProfileSpec.parse("past:1x0,1x64,1x512").min()).containsExactly(1, 0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "input_ids;expected NAME:MIN,OPT,MAX",
        ":1,2,3;expected NAME:MIN,OPT,MAX",
        "input_ids:;expected NAME:MIN,OPT,MAX",
        "input_ids:1x1,4x128;expected three shapes (min,opt,max) after the colon, got 2",
        "input_ids:1x1,4x128,8x512,9x9;got 4",
        "input_ids:1x1,4xq,8x512;'4xq' is not a shape",
        "input_ids:1x1,4x128,8;same rank, got 2, 2 and 1 dimensions",
        "input_ids:1x1,4x128,2x512;dimension 0 needs min <= opt <= max, got 1, 4, 2",
        "input_ids:1x-1,4x128,8x512;dimension 1 has a negative size -1"})
    void badFormsNameTheFlagAndWhatIsExpected(String text, String why) {
        assertThatThrownBy(() -> ProfileSpec.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--profile").hasMessageContaining(why);
    }

    @Test
    void shapesAreCopiedInAndOut() {
        long[] min = {1, 1};
        ProfileSpec p = new ProfileSpec("x", min, new long[] {2, 2}, new long[] {3, 3});
        min[0] = 99;
        p.max()[0] = 99;
        assertThat(p.min()).containsExactly(1, 1);
        assertThat(p.max()).containsExactly(3, 3);
    }
}
