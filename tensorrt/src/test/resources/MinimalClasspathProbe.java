import io.ortune.tensorrt.CompileException;
import io.ortune.tensorrt.CompileSettings;
import io.ortune.tensorrt.Precision;
import io.ortune.tensorrt.ProfileSpec;
import io.ortune.tensorrt.TensorRtCompiler;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Run by MinimalClasspathTest with exactly the minimal classpath: compiles args[0] to args[1] (fp16), prints
 * "built", "device: ..." or "input: ...", and checks that no ONNX Runtime class is reachable.
 */
public class MinimalClasspathProbe {
    public static void main(String[] args) throws Exception {
        for (String c : new String[] {"org.bytedeco.onnxruntime.global.onnxruntime", "io.ortune.runtime.OrtRuntime"}) {
            try {
                Class.forName(c);
                System.out.println("unexpected: " + c + " is on the classpath");
                return;
            } catch (ClassNotFoundException expected) {
                // the minimal classpath has no ONNX Runtime
            }
        }
        CompileSettings s = new CompileSettings(Path.of(args[0]), Path.of(args[1]), Precision.FP16,
                List.of(ProfileSpec.parse(args[2])), OptionalLong.empty(), null);
        try {
            TensorRtCompiler.compile(s, false);
            System.out.println("built");
        } catch (CompileException e) {
            System.out.println(e.kind().name().toLowerCase() + ": " + e.getMessage());
        }
    }
}
