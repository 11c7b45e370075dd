package io.ortune.graph.peft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The float64 SVD and QR against constructed answers. Tolerances are float64 rounding times a small factor. */
class DenseLinalgTest {

    @Test
    void qrReproducesTheLeadingColumnsWithOrthonormalQ() {
        int m = 9;
        int n = 7;
        double[] a = random(m * n, 1);
        for (int r : new int[] {3, 7}) {
            DenseLinalg.Qr qr = DenseLinalg.qr(a, m, n, r);
            assertOrthonormalColumns(qr.q(), m, r, 1e-13);
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < i; j++) {
                    assertThat(qr.rr()[i * n + j]).as("R[%d][%d] below the diagonal", i, j).isZero();
                }
            }
            double[] qrProduct = multiply(qr.q(), qr.rr(), m, r, n);
            int cols = r == n ? n : r;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < cols; j++) {
                    assertThat(qrProduct[i * n + j]).as("(QR)[%d][%d] r=%d", i, j, r)
                            .isCloseTo(a[i * n + j], org.assertj.core.data.Offset.offset(1e-13));
                }
            }
            assertThat(qr.rr()[0]).as("LAPACK sign: R[0][0] has the opposite sign of A[0][0]")
                    .isEqualTo(-Math.signum(a[0]) * Math.abs(qr.rr()[0]));
        }
    }

    /** A = U diag(s) Vᵀ with known, decaying singular values: the iterative path recovers them. */
    @Test
    void topSvdRecoversKnownSingularTriplets() {
        int m = 60;
        int n = 40;
        double[] u = orthonormal(m, n, 2);
        double[] v = orthonormal(n, n, 3);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = 10 * Math.pow(0.8, i);
        }
        double[] a = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double x = 0;
                for (int t = 0; t < n; t++) {
                    x += u[i * n + t] * s[t] * v[j * n + t];
                }
                a[i * n + j] = x;
            }
        }
        DenseLinalg.Svd svd = DenseLinalg.topSvd(a, m, n, 4, 7);
        for (int t = 0; t < 4; t++) {
            assertThat(svd.s()[t]).as("sigma %d", t).isCloseTo(s[t], org.assertj.core.data.Offset.offset(1e-9 * s[0]));
            double dot = 0;
            for (int i = 0; i < m; i++) {
                dot += svd.u()[i * 4 + t] * u[i * n + t];
            }
            assertThat(Math.abs(dot)).as("|<u_%d, true u_%d>|", t, t).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-8));
        }
        assertOrthonormalColumns(svd.u(), m, 4, 1e-10);
    }

    /** Where r plus oversampling covers min(m, n) the SVD is exact: U S Vᵀ = A. */
    @Test
    void smallMatricesGetAnExactSvd() {
        int m = 6;
        int n = 9;
        double[] a = random(m * n, 4);
        DenseLinalg.Svd svd = DenseLinalg.topSvd(a, m, n, 6, 0);
        double[] us = new double[m * 6];
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < 6; t++) {
                us[i * 6 + t] = svd.u()[i * 6 + t] * svd.s()[t];
            }
        }
        double[] back = multiply(us, svd.vt(), m, 6, n);
        for (int i = 0; i < a.length; i++) {
            assertThat(back[i]).isCloseTo(a[i], org.assertj.core.data.Offset.offset(1e-12));
        }
        for (int t = 1; t < 6; t++) {
            assertThat(svd.s()[t]).isLessThanOrEqualTo(svd.s()[t - 1]);
        }
    }

    /** A flat random spectrum: the iterative top-r values agree with the exact ones to 1e-6 relative. */
    @Test
    void flatSpectrumTopValuesAgreeWithTheExactSvd() {
        int m = 120;
        int n = 80;
        double[] a = random(m * n, 5);
        DenseLinalg.Svd exact = DenseLinalg.topSvd(a, m, n, 80, 0);
        DenseLinalg.Svd top = DenseLinalg.topSvd(a, m, n, 4, 1);
        for (int t = 0; t < 4; t++) {
            assertThat(top.s()[t]).as("sigma %d", t).isCloseTo(exact.s()[t],
                    org.assertj.core.data.Offset.offset(1e-6 * exact.s()[t]));
        }
    }

    @Test
    void badArguments() {
        assertThatThrownBy(() -> DenseLinalg.qr(new double[6], 2, 3, 3))
                .hasMessage("rank 3 must be in 1..2 for a 2 x 3 matrix");
        assertThatThrownBy(() -> DenseLinalg.topSvd(new double[5], 2, 3, 1, 0))
                .hasMessage("matrix of 5 values is not 2 x 3");
    }

    private static void assertOrthonormalColumns(double[] q, int m, int k, double tol) {
        for (int p = 0; p < k; p++) {
            for (int r = 0; r < k; r++) {
                double d = 0;
                for (int i = 0; i < m; i++) {
                    d += q[i * k + p] * q[i * k + r];
                }
                assertThat(d).as("q_%d . q_%d", p, r).isCloseTo(p == r ? 1 : 0, org.assertj.core.data.Offset.offset(
                        tol));
            }
        }
    }

    private static double[] multiply(double[] x, double[] y, int m, int k, int n) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < k; t++) {
                for (int j = 0; j < n; j++) {
                    out[i * n + j] += x[i * k + t] * y[t * n + j];
                }
            }
        }
        return out;
    }

    private static double[] orthonormal(int m, int k, long seed) {
        return DenseLinalg.qr(random(m * k, seed), m, k, k).q();
    }

    private static double[] random(int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }
}
