package io.ortune.training.peft;

/** The error function in float64 for test references (Abramowitz–Stegun 7.1.26 is too coarse; this is a series). */
final class ErfReference {

    private ErfReference() {
    }

    /** erf(x): Taylor series for |x| < 3 (terms until below 1e-17), else the continued fraction of erfc. */
    static double erf(double x) {
        double a = Math.abs(x);
        double r;
        if (a < 3) {
            double term = a;
            double sum = a;
            for (int n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
                term *= -a * a / n;
                sum += term / (2 * n + 1);
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            double f = 0;
            for (int k = 60; k >= 1; k--) {
                f = k / 2.0 / (a + f);
            }
            r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + f);
        }
        return x < 0 ? -r : r;
    }
}
