package io.ortune.cli;

import io.ortune.tensorrt.CompileException;
import io.ortune.tensorrt.CompileSettings;
import io.ortune.tensorrt.EngineManifest;
import io.ortune.tensorrt.MinimalClasspath;
import io.ortune.tensorrt.Precision;
import io.ortune.tensorrt.ProfileSpec;
import io.ortune.tensorrt.TensorRtCompiler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * {@code ortune compile IN.onnx -o model.engine --precision fp32|fp16|bf16|int8 [--profile NAME:MIN,OPT,MAX ...]
 * [--workspace-mb N] [--timing-cache FILE]}: a TensorRT engine and its manifest, through
 * {@link TensorRtCompiler}. Order: flags, then the model and profiles (exit 2 when they do not fit), then the GPU
 * (exit 1 without one), then the build (exit 1 when TensorRT fails). {@code --print-classpath} lists the jars
 * engine building needs.
 */
@Command(name = "compile", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build a TensorRT engine (needs an NVIDIA GPU with TensorRT 10.x).",
            "  ortune compile model.onnx -o model.engine --precision fp16 --profile input_ids:1x1,4x128,8x512",
            "  ortune compile --print-classpath"})
final class CompileCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "IN.onnx", description = "The model (int8: with QDQ).")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "model.engine",
            description = "The engine to write; its manifest goes beside it as model.engine.json.")
    Path output;

    @Option(names = "--precision", paramLabel = "fp32|fp16|bf16|int8", converter = PrecisionConverter.class,
            description = "int8 = explicit QDQ in a strongly typed network (run 'ortune quantize --int8 --for"
                    + " tensorrt' first).")
    Precision precision;

    @Option(names = "--profile", paramLabel = "NAME:MIN,OPT,MAX", converter = ProfileConverter.class,
            description = "Shapes for one dynamic input, e.g. input_ids:1x1,4x128,8x512 (repeat per input).")
    List<ProfileSpec> profiles = new ArrayList<>();

    @Option(names = "--workspace-mb", paramLabel = "N", description = "Builder workspace limit in MiB.")
    Long workspaceMb;

    @Option(names = "--timing-cache", paramLabel = "FILE",
            description = "Timing cache to read (when it exists) and save, to speed up rebuilds.")
    Path timingCache;

    @Option(names = "--print-classpath", description = "Print the jars engine building needs, their sizes and a -cp.")
    boolean printClasspath;

    @Option(names = "--verbose", description = "Print TensorRT's info messages.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (printClasspath) {
            return printClasspath();
        }
        CompileSettings settings = settings();
        TensorRtCompiler.CompileResult r;
        try {
            r = TensorRtCompiler.compile(settings, verbose);
        } catch (CompileException e) {
            if (e.kind() == CompileException.Kind.INPUT) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            throw e;
        }
        r.warnings().forEach(w -> System.out.println("warning: " + w));
        EngineManifest m = r.manifest();
        System.out.printf("built %s (%d bytes, %s on %s, TensorRT %s) in %.1f s; layers by precision: %s%n",
                settings.engine(), m.engineBytes(), m.precision(), m.gpuName(), m.tensorrtVersion(),
                m.buildSeconds(), m.layerPrecisions());
        System.out.println("wrote " + settings.manifest());
        return 0;
    }

    private CompileSettings settings() throws java.io.IOException {
        List<String> missing = new ArrayList<>();
        if (input == null) {
            missing.add("IN.onnx");
        }
        if (output == null) {
            missing.add("-o model.engine");
        }
        if (precision == null) {
            missing.add("--precision fp32|fp16|bf16|int8");
        }
        if (!missing.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "missing " + String.join(", ", missing));
        }
        CliFiles.existingFile(input, "input model");
        try {
            return new CompileSettings(input, output, precision, profiles,
                    workspaceMb == null ? OptionalLong.empty() : OptionalLong.of(workspaceMb), timingCache);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static int printClasspath() {
        MinimalClasspath cp = MinimalClasspath.resolve(CompileCommand.class.getClassLoader());
        System.out.println("jars that build a TensorRT engine (no ONNX Runtime; the TensorRT 10.x and CUDA libraries"
                + " come from the machine):");
        for (MinimalClasspath.Entry e : cp.entries()) {
            System.out.printf("  %-48s %9s  %s%n", e.artifact(), e.found() ? mib(e.bytes()) : "-",
                    e.found() ? e.location() : "MISSING");
        }
        System.out.printf("total %s in %d entries%n", mib(cp.totalBytes()), cp.entries().size());
        System.out.println("-cp " + cp.classpath());
        if (!cp.missing().isEmpty()) {
            System.err.println("ortune compile: error: this installation lacks " + cp.missing());
            return 1;
        }
        return 0;
    }

    private static String mib(long bytes) {
        return String.format("%.2f MiB", bytes / 1048576.0);
    }

    /** {@code --precision} values with the list of valid ones in the message. */
    static final class PrecisionConverter implements CommandLine.ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            try {
                return Precision.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --profile} entries, with the expected form in the message. */
    static final class ProfileConverter implements CommandLine.ITypeConverter<ProfileSpec> {
        @Override
        public ProfileSpec convert(String value) {
            try {
                return ProfileSpec.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
