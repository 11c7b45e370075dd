package io.ortune.bench.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ortune.graph.ir.DataType;
import io.ortune.runtime.CheckpointState;
import io.ortune.runtime.NativeOutputs;
import io.ortune.runtime.NativeTensor;
import io.ortune.runtime.SessionOptions;
import io.ortune.runtime.TrainingSession;
import io.ortune.training.artifacts.ArtifactSet;
import io.ortune.training.objective.CausalLmObjective;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The measuring side of one setting, run alone in a child JVM so that its peak RSS is its own: opens a training
 * session over written artifacts (training and optimizer models; no eval model, like the PyTorch peer), sets the
 * learning rate, prepares every batch of random token ids before timing (labels = input_ids, attention mask all 1,
 * loss_scale 1), then runs warm-up and timed steps of TrainStep + OptimizerStep + LazyResetGrad. Prints one JSON
 * object on stdout: step times, losses, tokens/s from the median step, RSS after session creation and the peak
 * ({@code VmHWM}) at the end.
 *
 * <p>Arguments: {@code ARTIFACT_DIR THREADS BATCH SEQ WARMUP STEPS SEED LR VOCAB MEMORY_PATTERN}. Wrong arguments
 * end the child with an {@link IllegalArgumentException} (a non-zero exit code, the usage on stderr), which the
 * parent reports; only the CLI calls {@code System.exit}.
 */
public final class TrainChild {

    private TrainChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 10) {
            throw new IllegalArgumentException("usage: TrainChild ARTIFACT_DIR THREADS BATCH SEQ WARMUP STEPS SEED LR "
                    + "VOCAB MEMORY_PATTERN (received " + args.length + " arguments: " + Arrays.toString(args) + ")");
        }
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int seq = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int steps = Integer.parseInt(args[5]);
        long seed = Long.parseLong(args[6]);
        float lr = Float.parseFloat(args[7]);
        int vocab = Integer.parseInt(args[8]);
        boolean memoryPattern = Boolean.parseBoolean(args[9]);
        ObjectNode out = run(dir, threads, batch, seq, warmup, steps, seed, lr, vocab, memoryPattern);
        System.out.println(new ObjectMapper().writeValueAsString(out));
    }

    static ObjectNode run(Path dir, int threads, int batch, int seq, int warmup, int steps, long seed, float lr,
                          int vocab, boolean memoryPattern) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        SessionOptions options = SessionOptions.builder().intraOpThreads(threads).interOpThreads(1)
                .memoryPattern(memoryPattern).build();
        long t0 = System.nanoTime();
        try (CheckpointState state = CheckpointState.load(dir.resolve(ArtifactSet.CHECKPOINT));
             TrainingSession session = TrainingSession.create(state, dir.resolve(ArtifactSet.TRAINING_MODEL), null,
                     dir.resolve(ArtifactSet.OPTIMIZER_MODEL), options)) {
            session.setLearningRate(lr);
            out.put("session_s", (System.nanoTime() - t0) / 1e9);
            out.put("rss_after_session_mib", ProcStatus.rssMiB());
            List<Map<String, NativeTensor>> batches = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < warmup + steps; i++) {
                batches.add(feeds(session.trainInputNames(), random, batch, seq, vocab));
            }
            ArrayNode losses = out.putArray("losses");
            double[] times = new double[steps];
            for (int i = 0; i < warmup + steps; i++) {
                long s0 = System.nanoTime();
                float loss = step(session, batches.get(i));
                double dt = (System.nanoTime() - s0) / 1e9;
                losses.add(loss);
                if (i >= warmup) {
                    times[i - warmup] = dt;
                }
                System.err.printf("  [ortune] %s %d: loss %.4f, %.2f s%n", i < warmup ? "warm-up step" : "step",
                        i < warmup ? i + 1 : i - warmup + 1, loss, dt);
            }
            for (Map<String, NativeTensor> b : batches) {
                b.values().forEach(NativeTensor::close);
            }
            ArrayNode t = out.putArray("step_s");
            Arrays.stream(times).forEach(t::add);
            double median = median(times);
            out.put("median_step_s", median);
            out.put("tokens_per_s", (double) batch * seq / median);
            out.put("trainable_params", session.parameterCount(true));
            out.put("total_params", session.parameterCount(false));
        }
        out.put("peak_rss_mib", ProcStatus.peakRssMiB());
        return out;
    }

    /** TrainStep, OptimizerStep, LazyResetGrad; returns the loss. */
    private static float step(TrainingSession session, Map<String, NativeTensor> feeds) {
        float loss;
        try (NativeOutputs o = session.trainStepNative(feeds)) {
            loss = o.get(CausalLmObjective.LOSS).buffer().getFloat(0);
        }
        session.optimizerStep();
        session.lazyResetGrad();
        return loss;
    }

    private static Map<String, NativeTensor> feeds(List<String> names, SplittableRandom random, int batch, int seq,
                                                   int vocab) {
        long[] dims = {batch, seq};
        ByteBuffer ids = direct(8L * batch * seq);
        ByteBuffer mask = direct(8L * batch * seq);
        for (int i = 0; i < batch * seq; i++) {
            ids.putLong(random.nextInt(vocab));
            mask.putLong(1L);
        }
        ids.flip();
        mask.flip();
        ByteBuffer scale = direct(4).putFloat(1f).flip();
        Map<String, NativeTensor> all = new HashMap<>();
        all.put("input_ids", NativeTensor.wrap(DataType.INT64, dims, ids));
        all.put("labels", NativeTensor.wrap(DataType.INT64, dims, ids.duplicate()));
        all.put("attention_mask", NativeTensor.wrap(DataType.INT64, dims, mask));
        all.put(CausalLmObjective.LOSS_SCALE, NativeTensor.wrap(DataType.FLOAT, new long[0], scale));
        Map<String, NativeTensor> feeds = new LinkedHashMap<>();
        for (String n : names) {
            NativeTensor t = all.remove(n);
            if (t == null) {
                throw new IllegalStateException("the training model takes an input '" + n + "' this benchmark does "
                        + "not know (it feeds input_ids, attention_mask, labels, loss_scale)");
            }
            feeds.put(n, t);
        }
        all.values().forEach(NativeTensor::close);
        return feeds;
    }

    private static ByteBuffer direct(long bytes) {
        return ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }

    static double median(double[] xs) {
        return io.ortune.bench.harness.LatencyStats.median(xs);
    }
}
