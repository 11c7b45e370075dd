package io.ortune.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * The options {@code bench-generate} and {@code bench-train} share (a picocli mixin): threads on both sides, the
 * repository root, the work folder, the peer's Python, {@code --no-torch} and {@code --doc}; plus the command line
 * as given, for the report.
 */
final class BenchOptions {

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "Threads on both sides (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".",
            description = "Repository root, for testdata/ and tools/ (default: the working directory).")
    Path root;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where models and artifacts are built (default: ROOT/target/<command>).")
    Path workDir;

    @Option(names = "--python", paramLabel = "EXE", defaultValue = "/usr/bin/python3",
            description = "Python with torch for the peer column (default: ${DEFAULT-VALUE}).")
    Path python;

    @Option(names = "--no-torch", description = "Skip the PyTorch column.")
    boolean noTorch;

    @Option(names = "--doc", paramLabel = "FILE",
            description = "Also write the section into this Markdown file (replacing its previous version).")
    Path doc;

    /** The repository root, absolute. */
    Path base() {
        return root.toAbsolutePath().normalize();
    }

    /** {@code --work-dir}, or {@code ROOT/target/<name>}. */
    Path workDir(String name) {
        return workDir != null ? workDir.toAbsolutePath() : base().resolve("target").resolve(name);
    }

    /** The peer's Python, or null with {@code --no-torch}. */
    Path pythonOrNull() {
        return noTorch ? null : python;
    }

    /** {@code ROOT/tools/torch_bench.py}. */
    Path torchScript() {
        return base().resolve("tools/torch_bench.py");
    }

    /** The command line as given, for the report. */
    static String command(CommandLine.Model.CommandSpec spec) {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        return "./ortune " + String.join(" ", args);
    }
}
