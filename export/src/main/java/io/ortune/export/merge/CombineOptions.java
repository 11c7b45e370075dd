package io.ortune.export.merge;

import java.util.List;
import java.util.Locale;

/**
 * Settings of a multi-adapter combination; checked on construction, messages name the flag.
 *
 * @param combination  how to combine
 * @param adapters     the adapters of the model to combine, in order
 * @param weights      one weight per adapter (replacing the adapters' gates); negative subtracts
 * @param density      fraction kept by ties, dare_* and magnitude_prune, in [0, 1]
 * @param majoritySign sign election of ties and dare_ties
 * @param svdRank      rank of the svd truncation, and of an adapter written with {@code --to-adapter}
 *                     (0: the largest source rank per module)
 * @param seed         seed of DARE's random drop
 */
public record CombineOptions(Combination combination, List<String> adapters, List<Double> weights, double density,
                             MajoritySign majoritySign, int svdRank, long seed) {

    public CombineOptions {
        adapters = List.copyOf(adapters);
        weights = List.copyOf(weights);
        if (adapters.isEmpty()) {
            throw new MergeException("no adapter to combine; give --adapter DIR (or a model with adapters)");
        }
        if (adapters.stream().distinct().count() != adapters.size()) {
            throw new MergeException("adapters " + adapters + " name one adapter twice");
        }
        if (weights.size() != adapters.size()) {
            throw new MergeException("--weights has " + weights.size() + " values for " + adapters.size()
                    + " adapters " + adapters + "; give one weight per adapter");
        }
        for (Double w : weights) {
            if (w == null || !Double.isFinite(w)) {
                throw new MergeException("--weights must be finite numbers, got " + weights);
            }
        }
        if (!(density >= 0 && density <= 1)) {
            throw new MergeException("--density must be in [0, 1], got " + density);
        }
        if (svdRank < 0) {
            throw new MergeException("--svd-rank must be positive, got " + svdRank);
        }
    }

    /** Checks what only a complete set of options can show (called before a combination runs). */
    void requireComplete() {
        if (combination == Combination.SVD && svdRank == 0) {
            throw new MergeException("--combination svd needs --svd-rank R (the rank to truncate to)");
        }
    }

    /** {@code combination} of {@code adapters} with {@code weights}, density 1, total sign, no rank, seed 0. */
    public static CombineOptions of(Combination combination, List<String> adapters, List<Double> weights) {
        return new CombineOptions(combination, adapters, weights, 1.0, MajoritySign.TOTAL, 0, 0);
    }

    public CombineOptions withDensity(double d) {
        return new CombineOptions(combination, adapters, weights, d, majoritySign, svdRank, seed);
    }

    public CombineOptions withMajoritySign(MajoritySign m) {
        return new CombineOptions(combination, adapters, weights, density, m, svdRank, seed);
    }

    public CombineOptions withSvdRank(int r) {
        return new CombineOptions(combination, adapters, weights, density, majoritySign, r, seed);
    }

    public CombineOptions withSeed(long s) {
        return new CombineOptions(combination, adapters, weights, density, majoritySign, svdRank, s);
    }

    /** The settings that matter, for reports. */
    public String describe() {
        StringBuilder b = new StringBuilder(combination.cliName()).append(" weights=").append(weights);
        if (combination.usesDensity()) {
            b.append(String.format(Locale.ROOT, " density=%s", density));
        }
        if (combination.electsSign()) {
            b.append(" majority_sign=").append(majoritySign.cliName());
        }
        if (combination.random()) {
            b.append(" seed=").append(seed);
        }
        if (svdRank > 0) {
            b.append(" svd_rank=").append(svdRank);
        }
        return b.toString();
    }
}
