package io.ortune.export.merge;

import java.util.Locale;

/** How TIES elects each entry's sign (PEFT's {@code majority_sign_method}). */
public enum MajoritySign {
    /** The sign of Σᵢ ΔWᵢ (magnitude-weighted). */
    TOTAL,
    /** The sign of Σᵢ sign(ΔWᵢ) (one vote per adapter). */
    FREQUENCY;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MajoritySign parse(String s) {
        for (MajoritySign m : values()) {
            if (m.cliName().equals(s.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new MergeException("--majority-sign " + s + " is not known; use total or frequency");
    }
}
