package io.ortune.graph.peft;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Float64 factorisations of dense row-major matrices, for adapter initialisations (PiSSA, OLoRA): the top-r
 * singular triplets and the first r columns/rows of a QR factorisation.
 *
 * <p>{@link #topSvd}: when 2r + 8 covers the smaller dimension, an exact SVD (one-sided Jacobi after an orthonormal
 * basis of the range); otherwise Golub-Kahan-Lanczos bidiagonalization with full reorthogonalization, a
 * Rayleigh-Ritz step (one-sided Jacobi) every max(8, r) steps from 2r + 8 on, stopping when the top r singular
 * values change by less than 1e-10 of σ₁ between two steps (or the Krylov space is the whole range, which is
 * exact). Whatever the convergence, W − U_r S_r V_rᵀ is computed from the returned triplets, so PiSSA's identity
 * holds regardless; for a 768 × 2304 matrix with a flat (random) spectrum it takes a few seconds.
 */
public final class DenseLinalg {

    private static final double REL_TOL = 1e-10;
    private static final int MAX_SWEEPS = 80;

    /**
     * The top singular triplets: A ≈ U diag(S) Vᵀ.
     *
     * @param u  m × r, row-major
     * @param s  r values, descending
     * @param vt r × n, row-major
     */
    public record Svd(double[] u, double[] s, double[] vt, int m, int n, int r) { }

    /**
     * The first r columns of Q and first r rows of R of A = QR (Householder, LAPACK's sign convention: R's
     * diagonal has the opposite sign of the pivot column's leading entry).
     *
     * @param q  m × r, row-major, orthonormal columns
     * @param rr r × n, row-major, upper trapezoidal
     */
    public record Qr(double[] q, double[] rr, int m, int n, int r) { }

    private DenseLinalg() {
    }

    /** Top-{@code r} SVD of the m × n row-major matrix {@code a} (not modified); {@code seed} drives the start. */
    public static Svd topSvd(double[] a, int m, int n, int r, long seed) {
        check(a, m, n, r);
        int min = Math.min(m, n);
        if (r + Math.max(r, 8) >= min) {
            double[][] q = m <= n ? identityColumns(m) : orthonormalize(columnsOf(a, m, n));
            return ritz(a, m, n, q, r);
        }
        Random rnd = new Random(seed);
        List<double[]> us = new ArrayList<>();
        List<double[]> vs = new ArrayList<>();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextGaussian();
        }
        scale(v, 1 / Math.sqrt(dot(v, v)));
        vs.add(v);
        Svd best = null;
        int next = 2 * r + 8;
        while (true) {
            double[] u = timesColumn(a, m, n, v);
            reorthogonalize(u, us);
            double alpha = Math.sqrt(dot(u, u));
            if (alpha <= 1e-300) {
                break;
            }
            scale(u, 1 / alpha);
            us.add(u);
            if (us.size() >= min) {
                break;
            }
            if (us.size() >= next) {
                Svd now = ritz(a, m, n, us.toArray(new double[0][]), r);
                if (best != null && converged(best, now, r)) {
                    return now;
                }
                best = now;
                next = us.size() + Math.max(8, r);
            }
            double[] w = timesTransposedColumn(a, m, n, u);
            reorthogonalize(w, vs);
            double beta = Math.sqrt(dot(w, w));
            if (beta <= 1e-300) {
                break;
            }
            scale(w, 1 / beta);
            vs.add(w);
            v = w;
        }
        return ritz(a, m, n, us.toArray(new double[0][]), r);
    }

    private static boolean converged(Svd before, Svd now, int r) {
        for (int i = 0; i < r; i++) {
            if (Math.abs(now.s[i] - before.s[i]) > REL_TOL * Math.max(now.s[0], Double.MIN_NORMAL)) {
                return false;
            }
        }
        return true;
    }

    /** Removes from {@code x} its components along the orthonormal {@code basis}, twice (full reorthogonalization). */
    private static void reorthogonalize(double[] x, List<double[]> basis) {
        for (int pass = 0; pass < 2; pass++) {
            for (double[] b : basis) {
                double d = dot(b, x);
                for (int i = 0; i < x.length; i++) {
                    x[i] -= d * b[i];
                }
            }
        }
    }

    private static void scale(double[] x, double f) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= f;
        }
    }

    private static double[] timesColumn(double[] a, int m, int n, double[] z) {
        double[] out = new double[m];
        for (int i = 0; i < m; i++) {
            double s = 0;
            int row = i * n;
            for (int l = 0; l < n; l++) {
                s += a[row + l] * z[l];
            }
            out[i] = s;
        }
        return out;
    }

    private static double[] timesTransposedColumn(double[] a, int m, int n, double[] q) {
        double[] out = new double[n];
        for (int i = 0; i < m; i++) {
            double f = q[i];
            int row = i * n;
            for (int l = 0; l < n; l++) {
                out[l] += f * a[row + l];
            }
        }
        return out;
    }

    /** The first {@code r} Householder steps of A = QR for the m × n row-major {@code a} (not modified). */
    public static Qr qr(double[] a, int m, int n, int r) {
        check(a, m, n, r);
        double[] w = a.clone();
        double[][] vs = new double[r][];
        for (int k = 0; k < r; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) {
                norm += w[i * n + k] * w[i * n + k];
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                continue;
            }
            double x0 = w[k * n + k];
            double beta = x0 >= 0 ? -norm : norm;
            double[] v = new double[m - k];
            for (int i = k; i < m; i++) {
                v[i - k] = w[i * n + k];
            }
            v[0] -= beta;
            double vv = 0;
            for (double e : v) {
                vv += e * e;
            }
            if (vv == 0) {
                continue;
            }
            for (int j = k; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) {
                    dot += v[i - k] * w[i * n + j];
                }
                double f = 2 * dot / vv;
                for (int i = k; i < m; i++) {
                    w[i * n + j] -= f * v[i - k];
                }
            }
            vs[k] = new double[v.length + 1];
            System.arraycopy(v, 0, vs[k], 0, v.length);
            vs[k][v.length] = vv;
        }
        double[] rr = new double[r * n];
        for (int i = 0; i < r; i++) {
            for (int j = i; j < n; j++) {
                rr[i * n + j] = w[i * n + j];
            }
        }
        double[] q = new double[m * r];
        for (int j = 0; j < r; j++) {
            q[j * r + j] = 1;
        }
        for (int k = r - 1; k >= 0; k--) {
            double[] v = vs[k];
            if (v == null) {
                continue;
            }
            double vv = v[v.length - 1];
            for (int j = 0; j < r; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) {
                    dot += v[i - k] * q[i * r + j];
                }
                double f = 2 * dot / vv;
                for (int i = k; i < m; i++) {
                    q[i * r + j] -= f * v[i - k];
                }
            }
        }
        return new Qr(q, rr, m, n, r);
    }

    private static void check(double[] a, int m, int n, int r) {
        if (m <= 0 || n <= 0 || (long) m * n != a.length) {
            throw new IllegalArgumentException("matrix of " + a.length + " values is not " + m + " x " + n);
        }
        if (r <= 0 || r > Math.min(m, n)) {
            throw new IllegalArgumentException("rank " + r + " must be in 1.." + Math.min(m, n) + " for a " + m
                    + " x " + n + " matrix");
        }
    }

    /** Rayleigh-Ritz: SVD of B = Qᵀ A by one-sided Jacobi on Bᵀ's columns, lifted back by Q; top r kept. */
    private static Svd ritz(double[] a, int m, int n, double[][] q, int r) {
        int k = q.length;
        double[][] c = timesTransposed(a, m, n, q);
        double[][] j = identityColumns(k);
        jacobi(c, j);
        double[] sig = new double[k];
        Integer[] order = new Integer[k];
        for (int p = 0; p < k; p++) {
            sig[p] = Math.sqrt(dot(c[p], c[p]));
            order[p] = p;
        }
        Arrays.sort(order, (x, y) -> Double.compare(sig[y], sig[x]));
        double[] u = new double[m * r];
        double[] s = new double[r];
        double[] vt = new double[r * n];
        for (int t = 0; t < r; t++) {
            int p = order[t];
            s[t] = sig[p];
            if (sig[p] > 0) {
                for (int i = 0; i < n; i++) {
                    vt[t * n + i] = c[p][i] / sig[p];
                }
            }
            for (int i = 0; i < m; i++) {
                double v = 0;
                for (int l = 0; l < k; l++) {
                    v += q[l][i] * j[p][l];
                }
                u[i * r + t] = v;
            }
        }
        return new Svd(u, s, vt, m, n, r);
    }

    /** Rotates pairs of columns of {@code c} until they are orthogonal, applying the same rotations to {@code j}. */
    private static void jacobi(double[][] c, double[][] j) {
        int k = c.length;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < k - 1; p++) {
                for (int q = p + 1; q < k; q++) {
                    double alpha = dot(c[p], c[p]);
                    double beta = dot(c[q], c[q]);
                    double gamma = dot(c[p], c[q]);
                    if (gamma == 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta == 0 ? 1 : zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    double cs = 1 / Math.sqrt(1 + t * t);
                    double sn = cs * t;
                    rotate(c[p], c[q], cs, sn);
                    rotate(j[p], j[q], cs, sn);
                }
            }
            if (!rotated) {
                return;
            }
        }
    }

    private static void rotate(double[] x, double[] y, double cs, double sn) {
        for (int i = 0; i < x.length; i++) {
            double a = x[i];
            double b = y[i];
            x[i] = cs * a - sn * b;
            y[i] = sn * a + cs * b;
        }
    }

    /** Modified Gram-Schmidt, twice; a column that vanishes becomes zero. */
    private static double[][] orthonormalize(double[][] cols) {
        for (int pass = 0; pass < 2; pass++) {
            for (int p = 0; p < cols.length; p++) {
                for (int q = 0; q < p; q++) {
                    double d = dot(cols[q], cols[p]);
                    for (int i = 0; i < cols[p].length; i++) {
                        cols[p][i] -= d * cols[q][i];
                    }
                }
                double norm = Math.sqrt(dot(cols[p], cols[p]));
                for (int i = 0; i < cols[p].length; i++) {
                    cols[p][i] = norm > 1e-300 ? cols[p][i] / norm : 0;
                }
            }
        }
        return cols;
    }

    /** Aᵀ · q for columns q (length m): columns of length n (rows of A outer, so each row is read once). */
    private static double[][] timesTransposed(double[] a, int m, int n, double[][] q) {
        double[][] out = new double[q.length][n];
        for (int i = 0; i < m; i++) {
            int row = i * n;
            for (int c = 0; c < q.length; c++) {
                double f = q[c][i];
                double[] o = out[c];
                for (int l = 0; l < n; l++) {
                    o[l] += f * a[row + l];
                }
            }
        }
        return out;
    }

    private static double[][] columnsOf(double[] a, int m, int n) {
        double[][] cols = new double[n][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                cols[j][i] = a[i * n + j];
            }
        }
        return cols;
    }

    private static double[][] identityColumns(int k) {
        double[][] e = new double[k][k];
        for (int i = 0; i < k; i++) {
            e[i][i] = 1;
        }
        return e;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }
}
