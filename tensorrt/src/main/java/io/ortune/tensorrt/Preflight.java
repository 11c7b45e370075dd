package io.ortune.tensorrt;

import io.ortune.graph.io.ReadableFiles;
import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxReader;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything {@code compile} checks before it touches TensorRT or the GPU, in this order: the model file is
 * readable and the output paths are usable (not folders, in an existing folder); the model parses; {@code int8}
 * is refused for a model without QDQ (run {@code ortune quantize --int8 --for tensorrt} first) or with QDQ
 * TensorRT would reject; the profiles fit the model's inputs. Nothing is written. On success it carries the model's sha256 and the QDQ report.
 *
 * <pre>{@code
 * Preflight p = Preflight.check(settings);   // CompileException (Kind.INPUT) listing every problem
 * }</pre>
 *
 * @param settings     what was asked
 * @param sourceSha256 the sha256 of the .onnx file (external data files are not hashed)
 * @param qdq          the QDQ readiness report (for every precision; only int8 requires it clean)
 * @param warnings     things that build but deserve a word (QDQ in a non-int8 build, float-only weighted ops)
 */
public record Preflight(CompileSettings settings, String sourceSha256, QdqReport qdq, List<String> warnings) {

    public Preflight {
        warnings = List.copyOf(warnings);
    }

    /** Runs the checks; throws {@link CompileException} of kind INPUT, or an IOException naming the file. */
    public static Preflight check(CompileSettings s) throws IOException {
        ReadableFiles.file(s.model(), "input model");
        checkOutputs(s);
        Model model = OnnxReader.read(s.model());
        QdqReport qdq = QdqCheck.check(model);
        List<String> warnings = new ArrayList<>();
        if (s.precision() == Precision.INT8) {
            int8Gate(s, qdq);
            qdq.findings().stream().filter(f -> f.severity() != QdqFinding.Severity.ERROR)
                    .forEach(f -> warnings.add(f.toString()));
        } else if (qdq.hasQdq()) {
            warnings.add("the model holds " + qdq.qdqNodes() + " Q/DQ nodes; TensorRT runs them as INT8 even in a "
                    + s.precision().cliName() + " build (use --precision int8 for a strongly typed network)");
        }
        List<String> profileIssues = ProfileCheck.issues(model.graph(), s.profiles());
        if (!profileIssues.isEmpty()) {
            throw new CompileException(CompileException.Kind.INPUT, s.model() + ": the optimization profiles do not"
                    + " fit the model", profileIssues);
        }
        return new Preflight(s, Sha256.of(s.model()), qdq, warnings);
    }

    private static void int8Gate(CompileSettings s, QdqReport qdq) {
        if (!qdq.hasQdq()) {
            throw new CompileException(CompileException.Kind.INPUT, s.model() + ": --precision int8 needs explicit"
                    + " quantization (QuantizeLinear/DequantizeLinear), and this model has none; run 'ortune"
                    + " quantize --int8 --for tensorrt' first", List.of());
        }
        if (!qdq.errors().isEmpty()) {
            throw new CompileException(CompileException.Kind.INPUT, s.model() + ": its Q/DQ nodes are not what"
                    + " TensorRT's strongly typed INT8 accepts", qdq.errors().stream().map(QdqFinding::toString)
                    .toList());
        }
    }

    /** Output paths are checked now, so a long build never ends in a write that cannot happen. */
    private static void checkOutputs(CompileSettings s) throws IOException {
        writable(s.engine(), "engine file (-o)");
        writable(s.manifest(), "engine manifest");
        if (s.timingCache() != null) {
            writable(s.timingCache(), "timing cache");
            if (Files.exists(s.timingCache())) {
                ReadableFiles.file(s.timingCache(), "timing cache");
            }
        }
    }

    private static void writable(Path p, String what) throws IOException {
        if (Files.isDirectory(p)) {
            throw new FileSystemException(p.toString(), null, "the " + what + " is a directory; give a file name");
        }
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new FileSystemException(p.toString(), null, "the folder of the " + what + " (" + parent
                    + ") does not exist; create it first");
        }
    }
}
