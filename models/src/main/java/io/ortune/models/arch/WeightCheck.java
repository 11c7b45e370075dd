package io.ortune.models.arch;

import io.ortune.graph.ir.DataType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks a {@link WeightSource} against an architecture's {@link WeightSpec}s before anything is built: every
 * required weight present, with the right shape and a float dtype (float16 and bfloat16 are upcast), and nothing
 * unknown left over. Reads no tensor data.
 */
final class WeightCheck {

    /**
     * What a successful check found.
     *
     * @param absentOptional optional weights the source lacks (to be initialized randomly)
     * @param ignored        source tensors the architecture knowingly ignores (buffers, tied copies, other heads)
     * @param upcast         weights stored as float16 or bfloat16
     */
    record Report(List<String> absentOptional, List<String> ignored, List<String> upcast) { }

    private WeightCheck() {
    }

    /** @throws WeightMismatchException listing every missing, unexpected and mismatched tensor */
    static Report check(Architecture arch, List<WeightSpec> specs, WeightSource source,
                        Predicate<String> ignorable) {
        List<String> missing = new ArrayList<>();
        List<String> absentOptional = new ArrayList<>();
        List<String> upcast = new ArrayList<>();
        List<WeightMismatchException.Mismatch> mismatched = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (WeightSpec s : specs) {
            expected.add(s.name());
            if (!source.contains(s.name())) {
                (s.optional() ? absentOptional : missing).add(s.name());
                continue;
            }
            long[] shape = source.shape(s.name());
            DataType dtype = source.dtype(s.name());
            if (!Arrays.equals(shape, s.shape())) {
                mismatched.add(new WeightMismatchException.Mismatch(s.name(), "shape " + Arrays.toString(shape)
                        + ", expected " + Arrays.toString(s.shape())));
            } else if (!Upcast.convertible(dtype)) {
                mismatched.add(new WeightMismatchException.Mismatch(s.name(), "dtype " + dtype.onnxName()
                        + ", expected float32 (float16 and bfloat16 are upcast to float32)"));
            } else if (dtype != DataType.FLOAT) {
                upcast.add(s.name());
            }
        }
        List<String> unexpected = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String n : source.names()) {
            if (!expected.contains(n)) {
                (ignorable.test(n) ? ignored : unexpected).add(n);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !mismatched.isEmpty()) {
            throw new WeightMismatchException(source.description(), arch.name(), missing, unexpected, mismatched);
        }
        return new Report(absentOptional, ignored, upcast);
    }
}
