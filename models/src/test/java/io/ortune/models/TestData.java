package io.ortune.models;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository's bundled test data ({@code testdata/}), from the {@code ortune.root} system property. */
public final class TestData {

    private TestData() {
    }

    /** The repository root: system property {@code ortune.root} (set by surefire), else {@code ..}. */
    public static Path root() {
        return Path.of(System.getProperty("ortune.root", "..")).toAbsolutePath().normalize();
    }

    /** {@code testdata/<relative>}, failing loudly when it is missing (the data is part of the repository). */
    public static Path file(String relative) {
        Path p = root().resolve("testdata").resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("bundled test data missing: " + p + " (is ortune.root right?)");
        }
        return p;
    }
}
