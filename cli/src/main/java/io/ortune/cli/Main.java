package io.ortune.cli;

import io.ortune.graph.io.ReadableFiles;
import io.ortune.runtime.LogLevel;
import io.ortune.runtime.OrtRuntime;

import java.nio.file.FileSystemException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code ortune} command. Exit codes: 0 success, 1 failure (one-line cause; the stack trace only with
 * {@code --debug}), 2 bad usage.
 */
@Command(name = "ortune",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Base language model to deployable, benchmarked ONNX inference engine.",
        subcommands = {
            InspectCommand.class,
            ConvertCommand.class,
            RunCommand.class,
            BuildCommand.class,
            GenerateCommand.class,
            BenchGenerateCommand.class,
            BenchTrainCommand.class,
            BenchCommand.class,
            ReportCommand.class,
            TrainCommand.class,
            InjectCommand.class,
            AdaptersCommand.class,
            MergeCommand.class,
            QuantizeCommand.class,
            CompileCommand.class,
            DemoCommand.class,
            PipelineCommand.class,
            FewShotCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print full stack traces on failure.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command; see 'ortune --help'.");
    }

    public static void main(String[] args) {
        quietNativeLogger();
        System.exit(execute(args));
    }

    /**
     * ONNX Runtime's own logger prints each failure a second time (a red native line on stderr) before the status
     * reaches us; our one-line error already carries its message. Unless the user chose a level
     * ({@code -Dortune.ort.logLevel=WARNING} in {@code ORTUNE_JAVA_OPTS}), the CLI keeps that logger to FATAL.
     */
    static void quietNativeLogger() {
        if (System.getProperty(OrtRuntime.LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(OrtRuntime.LOG_LEVEL_PROPERTY, LogLevel.FATAL.name());
        }
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int execute(String... args) {
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new FailureHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        SettingsErrors settings = new SettingsErrors(cl.getParameterExceptionHandler());
        cl.setExecutionStrategy(parsed -> {
            settings.executing = true;
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setParameterExceptionHandler(settings);
        return cl;
    }

    /**
     * A command line that parsed but asks for something that cannot be (a GPT-2 config with {@code --arch llama},
     * an {@code --out} folder already holding a run) is reported in one line with exit code 2; only a command
     * line that does not parse (an unknown option, a missing value) gets the usage text, from picocli's handler.
     */
    static final class SettingsErrors implements CommandLine.IParameterExceptionHandler {
        private final CommandLine.IParameterExceptionHandler usageHandler;
        boolean executing;

        SettingsErrors(CommandLine.IParameterExceptionHandler usageHandler) {
            this.usageHandler = usageHandler;
        }

        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) throws Exception {
            CommandLine cmd = ex.getCommandLine();
            if (!executing || cmd.getParent() == null) {
                return usageHandler.handleParseException(ex, args);
            }
            cmd.getErr().println("ortune " + cmd.getCommandName() + ": error: " + ex.getMessage());
            cmd.getErr().println("(see 'ortune " + cmd.getCommandName() + " --help')");
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        }
    }

    /** Prints failures as one line naming the cause; the stack trace only under --debug. Exit code 1. */
    static final class FailureHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
            boolean debug = parsed.hasMatchedOption("--debug")
                    || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--debug"));
            if (ex instanceof CommandLine.ParameterException pe) {
                cmd.getErr().println("ortune: " + pe.getMessage());
                return 2;
            }
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": error: " + oneLine(ex));
            if (debug) {
                ex.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("(run with --debug for the stack trace)");
            }
            return 1;
        }

        static String oneLine(Throwable ex) {
            String msg = ex instanceof FileSystemException f && f.getFile() != null
                    ? f.getFile() + ": " + ReadableFiles.cause(f) : ex.getMessage();
            Throwable cause = ex.getCause();
            if ((msg == null || msg.isBlank()) && cause != null) {
                return oneLine(cause);
            }
            String head = msg == null ? ex.getClass().getSimpleName() : msg;
            if (cause != null && cause.getMessage() != null && !head.contains(cause.getMessage())) {
                head = head + ": " + cause.getMessage();
            }
            return head.replace('\n', ' ');
        }
    }

    /** Version from the jar manifest, or "dev". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ortune " + (v == null ? "dev" : v)};
        }
    }
}
