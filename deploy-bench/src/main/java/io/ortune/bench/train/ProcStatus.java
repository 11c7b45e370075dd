package io.ortune.bench.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory figures of this process from {@code /proc/self/status} (Linux), in MiB; NaN when unknown. */
final class ProcStatus {

    private ProcStatus() {
    }

    /** Peak resident set size ({@code VmHWM}). */
    static double peakRssMiB() {
        return fieldMiB("VmHWM:");
    }

    /** Current resident set size ({@code VmRSS}). */
    static double rssMiB() {
        return fieldMiB("VmRSS:");
    }

    private static double fieldMiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith(field)) {
                    String kb = line.substring(field.length()).trim().replace("kB", "").trim();
                    return Long.parseLong(kb) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
