package io.ortune.graph.analysis;

/** ONNX Slice index arithmetic (negative indices, clamping, negative steps), shared by inference and folding. */
public final class SliceMath {

    private SliceMath() {
    }

    /** The first index {@code dim[start:end:step]} reads, after ONNX clamping. */
    public static long firstIndex(long size, long start, long step) {
        long s = start < 0 ? start + size : start;
        return step > 0 ? clamp(s, 0, size) : clamp(s, 0, size - 1);
    }

    /** The length of {@code dim[start:end:step]} for a dim of {@code size}. */
    public static long length(long size, long start, long end, long step) {
        long s = firstIndex(size, start, step);
        long e = end < 0 ? end + size : end;
        if (step > 0) {
            e = clamp(e, 0, size);
            return e <= s ? 0 : (e - s + step - 1) / step;
        }
        e = clamp(e, -1, size - 1);
        return s <= e ? 0 : (s - e + (-step) - 1) / (-step);
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
