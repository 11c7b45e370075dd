package io.ortune.tensorrt;

import org.bytedeco.tensorrt.global.nvinfer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class BuildPlanTest {

    private static CompileSettings settings(Precision p, OptionalLong ws, Path cache) {
        return new CompileSettings(Path.of("m.onnx"), Path.of("m.engine"), p,
                List.of(ProfileSpec.parse("x:1x4,4x4,8x4")), ws, cache);
    }

    @Test
    void int8IsStronglyTypedWithoutPrecisionFlags() {
        BuildPlan plan = BuildPlan.of(settings(Precision.INT8, OptionalLong.empty(), null), false);
        assertThat(plan.stronglyTyped()).isTrue();
        assertThat(plan.setFlags()).isEmpty();
        assertThat(plan.clearFlags()).isEmpty();
        assertThat(plan.networkFlags(1)).isEqualTo(0b10);
    }

    @Test
    void fp16AndBf16SetTheirFlagInAWeaklyTypedNetwork() {
        BuildPlan fp16 = BuildPlan.of(settings(Precision.FP16, OptionalLong.empty(), null), false);
        assertThat(fp16.setFlags()).containsExactly("kFP16");
        assertThat(fp16.networkFlags(1)).isZero();
        assertThat(BuildPlan.of(settings(Precision.BF16, OptionalLong.empty(), null), false).setFlags())
                .containsExactly("kBF16");
    }

    @Test
    void fp32ClearsTf32SoMatMulsStayFullPrecision() {
        assertThat(BuildPlan.of(settings(Precision.FP32, OptionalLong.empty(), null), false).clearFlags())
                .containsExactly("kTF32");
    }

    @Test
    void workspaceIsInBytesAndCacheIsLoadedOnlyWhenItExists() {
        BuildPlan plan = BuildPlan.of(settings(Precision.FP16, OptionalLong.of(1536), Path.of("c.cache")), false);
        assertThat(plan.workspaceBytes()).isEqualTo(1536L * 1024 * 1024);
        assertThat(plan.loadTimingCache()).isFalse();
        assertThat(BuildPlan.of(settings(Precision.FP16, OptionalLong.empty(), Path.of("c.cache")), true)
                .loadTimingCache()).isTrue();
        assertThat(BuildPlan.of(settings(Precision.FP16, OptionalLong.empty(), null), true).workspaceBytes())
                .isEqualTo(-1);
    }

    /** The names the plan holds are the presets' enum constants (their classes load without natives). */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void everyFlagNamesATensorRt1015BuilderFlag(Precision p) {
        BuildPlan plan = BuildPlan.of(settings(p, OptionalLong.empty(), null), false);
        for (String f : plan.setFlags()) {
            assertThat(nvinfer.BuilderFlag.valueOf(f).name()).isEqualTo(f);
        }
        for (String f : plan.clearFlags()) {
            assertThat(nvinfer.BuilderFlag.valueOf(f).name()).isEqualTo(f);
        }
        assertThat(nvinfer.NetworkDefinitionCreationFlag.kSTRONGLY_TYPED.value).isEqualTo(1);
    }
}
