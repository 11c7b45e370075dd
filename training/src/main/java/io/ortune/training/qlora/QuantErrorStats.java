package io.ortune.training.qlora;

import java.util.Locale;

/**
 * How far a quantized tensor is from the original.
 *
 * @param tensor       the original tensor's name
 * @param elements     element count
 * @param meanAbsError mean |w − q(w)|
 * @param maxAbsError  max |w − q(w)|
 * @param relFrobenius ‖w − q(w)‖_F / ‖w‖_F (0 for an all-zero tensor)
 */
public record QuantErrorStats(String tensor, long elements, double meanAbsError, double maxAbsError,
                              double relFrobenius) {

    /** Compares {@code original} with {@code roundTrip}, element by element. */
    public static QuantErrorStats of(String tensor, float[] original, float[] roundTrip) {
        if (original.length != roundTrip.length) {
            throw new IllegalArgumentException(tensor + ": " + original.length + " vs " + roundTrip.length
                    + " elements");
        }
        double sumAbs = 0;
        double max = 0;
        double sq = 0;
        double norm = 0;
        for (int i = 0; i < original.length; i++) {
            double d = Math.abs((double) original[i] - roundTrip[i]);
            sumAbs += d;
            max = Math.max(max, d);
            sq += d * d;
            norm += (double) original[i] * original[i];
        }
        return new QuantErrorStats(tensor, original.length, sumAbs / Math.max(1, original.length), max,
                norm == 0 ? 0 : Math.sqrt(sq / norm));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %,d elements, mean |err| %.3e, max |err| %.3e, rel Frobenius %.4f",
                tensor, elements, meanAbsError, maxAbsError, relFrobenius);
    }
}
