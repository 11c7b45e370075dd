package io.ortune.tensorrt;

import java.nio.file.Path;
import java.util.List;

/**
 * The TensorRT calls a build will make, decided without TensorRT so they can be tested on any machine: network
 * creation flags, builder flags to set and clear (by their {@code nvinfer.BuilderFlag} names), the workspace pool
 * limit, the profile and the timing cache.
 *
 * @param stronglyTyped   create the network with {@code kSTRONGLY_TYPED} (int8: types come from the QDQ model; no
 *                        precision flags are allowed then)
 * @param setFlags        builder flags to set ({@code kFP16}, {@code kBF16})
 * @param clearFlags      builder flags to clear ({@code kTF32} for a true fp32 build)
 * @param workspaceBytes  {@code kWORKSPACE} pool limit, or -1 to keep TensorRT's default
 * @param profiles        one min/opt/max entry per dynamic input, all in one optimization profile
 * @param timingCache     the cache file, or null
 * @param loadTimingCache whether that file exists and is read before the build
 */
record BuildPlan(boolean stronglyTyped, List<String> setFlags, List<String> clearFlags, long workspaceBytes,
                 List<ProfileSpec> profiles, Path timingCache, boolean loadTimingCache) {

    BuildPlan {
        setFlags = List.copyOf(setFlags);
        clearFlags = List.copyOf(clearFlags);
        profiles = List.copyOf(profiles);
    }

    static BuildPlan of(CompileSettings s, boolean timingCacheExists) {
        List<String> set = switch (s.precision()) {
            case FP16 -> List.of("kFP16");
            case BF16 -> List.of("kBF16");
            case FP32, INT8 -> List.of();
        };
        List<String> clear = s.precision() == Precision.FP32 ? List.of("kTF32") : List.of();
        return new BuildPlan(s.precision().stronglyTyped(), set, clear, s.workspaceBytes(), s.profiles(),
                s.timingCache(), s.timingCache() != null && timingCacheExists);
    }

    /** {@code createNetworkV2} flags given the value of {@code kSTRONGLY_TYPED} (a bit index). */
    int networkFlags(int stronglyTypedBit) {
        return stronglyTyped ? 1 << stronglyTypedBit : 0;
    }
}
