package io.ortune.cli;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Checks on paths named on the command line, with messages that say which argument is wrong. */
final class CliFiles {

    private CliFiles() {
    }

    static Path existingFile(Path p, String what) throws NoSuchFileException {
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString(), null, what + " file not found"
                    + (Files.isDirectory(p) ? " (it is a directory)" : ""));
        }
        return p;
    }
}
