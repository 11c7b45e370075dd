package io.ortune.training.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import io.ortune.graph.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Lines log, one object per line with a {@code step} field. A fresh run starts it empty; a resumed run keeps
 * the lines up to the step it resumes from (rewritten atomically) and appends after them, so the log of a resumed
 * run reads like that of an uninterrupted one.
 */
final class MetricsLog {

    private final Path file;

    MetricsLog(Path file) {
        this.file = file;
    }

    /** Starts from nothing ({@code keepUpTo < 0}) or keeps the lines whose step is at most {@code keepUpTo}. */
    void reset(long keepUpTo) throws IOException {
        List<String> kept = new ArrayList<>();
        if (keepUpTo >= 0 && Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = TrainerState.MAPPER.readTree(line);
                    if (n.path("step").asLong(Long.MAX_VALUE) <= keepUpTo) {
                        kept.add(line);
                    }
                } catch (IOException e) {
                    // a torn last line from a crash: dropped
                }
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.writeString(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
    }

    void append(String jsonLine) throws IOException {
        Files.writeString(file, jsonLine + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
