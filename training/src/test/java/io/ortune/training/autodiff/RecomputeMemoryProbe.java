package io.ortune.training.autodiff;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;
import io.ortune.runtime.GraphOptimizationLevel;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.NativeOutputs;
import io.ortune.runtime.NativeTensor;
import io.ortune.runtime.SessionOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Peak memory of one training step (forward + backward) with and without per-layer recomputation (not a test; run
 * by hand). Each configuration runs in a fresh JVM; the figure is the process's peak resident set (VmHWM) after the
 * step minus the resident set after the session was created, with ONNX Runtime's arena off and glibc's mmap threshold
 * fixed, so that freed memory is returned to the system and the peak follows live tensors.
 *
 * <pre>
 * java -cp ... io.ortune.training.autodiff.RecomputeMemoryProbe [layers] [embd] [batch] [seq] [DISABLED|ALL]
 * </pre>
 */
public final class RecomputeMemoryProbe {

    private RecomputeMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args);
            return;
        }
        String layers = args.length > 0 ? args[0] : "6";
        String embd = args.length > 1 ? args[1] : "256";
        String batch = args.length > 2 ? args[2] : "8";
        String seq = args.length > 3 ? args[3] : "512";
        String level = args.length > 4 ? args[4] : "DISABLED";
        for (String mode : List.of("plain", "recompute", "plain", "recompute")) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                    RecomputeMemoryProbe.class.getName(), "child", mode, layers, embd, batch, seq, level));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            // a fixed mmap threshold: glibc returns every large freed block at once, so the resident set follows
            // what is live instead of keeping freed blocks in its heap
            pb.environment().put("MALLOC_MMAP_THRESHOLD_", "131072");
            Process p = pb.start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                r.lines().filter(l -> l.startsWith("RESULT")).forEach(System.out::println);
            }
            p.waitFor();
        }
    }

    private static void child(String[] a) throws Exception {
        boolean recompute = a[1].equals("recompute");
        int layers = Integer.parseInt(a[2]);
        int embd = Integer.parseInt(a[3]);
        int batch = Integer.parseInt(a[4]);
        int seq = Integer.parseInt(a[5]);
        String json = "{\"model_type\":\"gpt2\",\"vocab_size\":512,\"n_positions\":" + seq + ",\"n_embd\":" + embd
                + ",\"n_layer\":" + layers + ",\"n_head\":4}";
        Model m = CausalLmLoss.append(ModelFactory.randomInit(ModelConfigs.parse(json, "probe"), 1, Form.TRAINING));
        AutodiffResult r = Autodiff.differentiate(m, CausalLmLoss.LOSS, TrainableSet.all(),
                AutodiffOptions.defaults().withRecomputeLayers(recompute));
        SessionOptions so = SessionOptions.builder().optimizationLevel(GraphOptimizationLevel.valueOf(a[6]))
                .cpuArena(false)
                .memoryPattern(false).intraOpThreads(2).build();
        Map<String, NativeTensor> feeds = new LinkedHashMap<>();
        long[] ids = new long[batch * seq];
        long[] mask = new long[batch * seq];
        Random rnd = new Random(3);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rnd.nextInt(512);
            mask[i] = 1;
        }
        long[] dims = {batch, seq};
        feeds.put("input_ids", NativeTensor.fromTensor(Tensor.ofLongs("input_ids", dims, ids)));
        feeds.put("attention_mask", NativeTensor.fromTensor(Tensor.ofLongs("attention_mask", dims, mask)));
        feeds.put(CausalLmLoss.LABELS, NativeTensor.fromTensor(Tensor.ofLongs(CausalLmLoss.LABELS, dims, ids)));
        List<String> outs = new ArrayList<>(List.of(CausalLmLoss.LOSS));
        r.gradients().values().forEach(v -> outs.add(v.name()));
        try (InferenceSession s = InferenceSession.fromBytes(Ort.bytes(r.model()), so, "probe")) {
            System.gc();
            long base = kb("VmRSS");
            long t0 = System.nanoTime();
            float loss;
            try (NativeOutputs o = s.runNative(feeds, outs)) {
                loss = o.asMap().get(CausalLmLoss.LOSS).buffer().getFloat(0);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long peak = kb("VmHWM");
            System.out.printf("RESULT %-9s opt %s, layers %d embd %d batch %d seq %d: %d graph nodes (%d recomputed); "
                    + "RSS after session %d MB, peak during step %d MB, step used +%d MB; step %d ms; loss %.4f%n",
                    a[1], a[6], layers, embd, batch, seq, r.model().graph().nodes().size(),
                    r.report().recomputedNodes(), base / 1024, peak / 1024, (peak - base) / 1024, ms, loss);
        }
    }

    private static long kb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
