package io.ortune.cli;

import io.ortune.export.adapter.PeftAdapter;
import io.ortune.export.adapter.PeftAdapterConfig;
import io.ortune.export.hotswap.OnnxAdapter;
import io.ortune.graph.ir.Tensor;
import io.ortune.training.artifacts.Checkpoint;
import io.ortune.training.artifacts.CheckpointReader;
import io.ortune.training.trainer.TrainerState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/** Text for the adapter and checkpoint summaries of {@code ortune inspect}, over the owning modules' records. */
final class InspectPrinters {

    private InspectPrinters() {
    }

    static String onnxAdapter(String source, OnnxAdapter a, int max) {
        return source + " (.onnx_adapter)\n  adapter version: " + a.adapterVersion() + ", model version: "
                + a.modelVersion() + "\n" + tensors(a.parameters(), max);
    }

    static String peftAdapter(String source, PeftAdapter a, int max) {
        PeftAdapterConfig c = a.config();
        return source + " (PEFT adapter folder)\n  peft_type: " + c.peftType() + ", task_type: " + c.taskType()
                + "\n  base_model_name_or_path: " + c.baseModelNameOrPath() + "\n  r: " + c.r() + ", lora_alpha: "
                + c.loraAlpha() + "\n  modules: " + a.modules().size() + "\n"
                + tensors(a.tensors().values(), max);
    }

    static String checkpoint(String source, Checkpoint c, int max) {
        StringBuilder b = new StringBuilder(source + " (training checkpoint)\n");
        b.append("  trainable ").append(tensors(c.trainableParams(), max));
        b.append("  frozen ").append(tensors(c.frozenParams(), 0));
        c.optimizerState().ifPresentOrElse(o -> b.append("  optimizer state: group ").append(o.groupName())
                .append(", step ").append(o.step()).append(", initial lr ").append(o.initialLearningRate())
                .append(", states per parameter: ").append(o.parameterStates().values().stream().findFirst()
                        .map(m -> String.join(", ", new java.util.TreeSet<>(m.keySet()))).orElse("none"))
                .append('\n'), () -> b.append("  optimizer state: none\n"));
        c.properties().strings().keySet().forEach(k -> b.append("  property: ").append(k).append('\n'));
        return b.toString();
    }

    static String checkpointFolder(String source, Path dir, int max) throws IOException {
        TrainerState s = TrainerState.fromJson(Files.readString(dir.resolve(TrainerState.FILE)),
                dir.resolve(TrainerState.FILE).toString());
        return String.format(Locale.ROOT, "%s (checkpoint folder)%n  step %d of %d, epoch %d, tokens %d, %s lr %s%n",
                source, s.step(), s.totalSteps(), s.epoch(), s.tokensSeen(), s.schedule(), s.baseLr())
                + checkpoint(dir.resolve("checkpoint").toString(), CheckpointReader.read(dir.resolve("checkpoint")),
                max);
    }

    private static String tensors(Collection<Tensor> ts, int max) {
        long params = ts.stream().mapToLong(Tensor::elementCount).sum();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "tensors: %d, parameters: %,d%n", ts.size(),
                params));
        ts.stream().limit(max).forEach(t -> b.append("    ").append(t.name()).append(' ').append(t.dtype())
                .append(' ').append(Arrays.toString(t.dims())).append('\n'));
        if (ts.size() > max && max > 0) {
            b.append("    ... ").append(ts.size() - max).append(" more\n");
        }
        return b.toString();
    }
}
