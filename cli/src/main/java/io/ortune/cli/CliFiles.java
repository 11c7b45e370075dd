package io.ortune.cli;

import io.ortune.graph.io.ReadableFiles;

import java.io.IOException;
import java.nio.file.Path;

/** Checks on paths named on the command line, with messages that say which argument is wrong and why. */
final class CliFiles {

    private CliFiles() {
    }

    /** {@code p} is a readable regular file ({@link ReadableFiles#file}); {@code what} names the argument. */
    static Path existingFile(Path p, String what) throws IOException {
        return ReadableFiles.file(p, what + " file");
    }
}
