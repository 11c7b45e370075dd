package io.ortune.tensorrt;

import io.ortune.graph.ir.Graph;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileCheckTest {

    private static final Graph TWO = TinyModels.twoInputs().graph();

    private static List<String> issues(String... profiles) {
        return ProfileCheck.issues(TWO, Arrays.stream(profiles).map(ProfileSpec::parse).toList());
    }

    @Test
    void matchingProfilesHaveNoIssues() {
        assertThat(issues("input_ids:1x1,4x128,8x512", "attention_mask:1x1,4x128,8x512")).isEmpty();
    }

    @Test
    void aFixedInputMayBeListedWithItsOwnSize() {
        assertThat(issues("input_ids:1x1,4x128,8x512", "attention_mask:1x1,4x128,8x512", "bias:1x8,1x8,1x8"))
                .isEmpty();
    }

    @Test
    void unknownInputIsNamedWithTheModelsInputs() {
        assertThat(issues("input_ids:1x1,4x128,8x512", "attention_mask:1x1,4x128,8x512", "token_type_ids:1x1,1x1,1x1"))
                .singleElement().asString().contains("--profile token_type_ids: the model has no input of that name",
                        "[input_ids, attention_mask, bias]");
    }

    @Test
    void rankMismatchIsReported() {
        assertThat(issues("input_ids:1,4,8", "attention_mask:1x1,4x128,8x512")).singleElement().asString()
                .contains("--profile input_ids: gives 1 dimensions but the input has rank 2 [batch,seq]");
    }

    @Test
    void fixedDimensionMustKeepItsSize() {
        assertThat(issues("input_ids:1x1,4x128,8x512", "attention_mask:1x1,4x128,8x512", "bias:1x8,1x16,1x16"))
                .singleElement().asString().contains("--profile bias: dimension 1 is fixed at 8", "gives 8,16,16");
    }

    @Test
    void dynamicInputWithoutProfileIsReportedWithAnExample() {
        assertThat(issues("input_ids:1x1,4x128,8x512")).singleElement().asString()
                .contains("input attention_mask has dynamic shape [batch,seq]",
                        "add --profile attention_mask:MIN,OPT,MAX (for example 1x1,4x4,8x8)");
    }

    @Test
    void sharedSymbolicDimensionNeedsOneRange() {
        assertThat(issues("input_ids:1x1,4x128,8x512", "attention_mask:1x1,4x128,4x512")).singleElement().asString()
                .contains("dimension 'batch' is 1,4,8 in --profile input_ids but 1,4,4 in --profile attention_mask");
    }

    @Test
    void duplicateProfileIsReported() {
        assertThat(issues("input_ids:1x1,4x128,8x512", "attention_mask:1x1,4x128,8x512", "input_ids:1x1,1x1,1x1"))
                .singleElement().asString().contains("--profile input_ids: the input is listed twice");
    }

    @Test
    void staticModelNeedsNoProfile() {
        assertThat(ProfileCheck.issues(TinyModels.floatMatMul().graph(), List.of())).singleElement().asString()
                .contains("input x has dynamic shape [batch,4]", "1x4,4x4,8x4");
    }
}
