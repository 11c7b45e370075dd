package io.ortune.training.artifacts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ortune.graph.io.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The JSON manifest written next to an artifact set: what each file is, its SHA-256, and how it was made. */
final class ArtifactManifest {

    static final String FORMAT = "ortune.training-artifacts";
    static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ArtifactManifest() {
    }

    static void write(Path target, ArtifactSet set, Map<String, Path> files) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.put("ortune_version", OrtuneVersion.get());
        ObjectNode fileNodes = root.putObject("files");
        for (Map.Entry<String, Path> e : files.entrySet()) {
            ObjectNode f = fileNodes.putObject(e.getKey());
            f.put("bytes", Files.size(e.getValue()));
            f.put("sha256", sha256(e.getValue()));
        }
        ArtifactSummary s = set.summary();
        root.put("loss", s.lossName());
        strings(root.putArray("user_inputs"), s.userInputs());
        ObjectNode params = root.putObject("parameters");
        params.put("trainable_count", s.trainable().size());
        params.put("trainable_elements", s.trainableElements());
        params.put("frozen_count", s.frozen().size());
        params.put("frozen_elements", s.frozenElements());
        strings(params.putArray("trainable"), s.trainable());
        strings(params.putArray("frozen"), s.frozen());
        optimizer(root.putObject("optimizer"), s.optimizer());
        ObjectNode wd = root.putObject("weight_decay");
        wd.put("node", s.weightDecay().nodeWeightDecay());
        wd.put("trainer", s.weightDecay().trainerWeightDecay());
        strings(wd.putArray("trainer_decayed"), s.weightDecay().trainerDecayed());
        strings(wd.putArray("undecayed"), s.weightDecay().undecayed());
        strings(root.putArray("notes"), s.notes());
        Files.createDirectories(target.toAbsolutePath().getParent());
        AtomicFiles.write(target, JSON.writeValueAsBytes(root));
    }

    private static void optimizer(ObjectNode o, OptimizerConfig cfg) {
        o.put("kind", cfg.kind());
        if (cfg instanceof OptimizerConfig.AdamW a) {
            o.put("beta1", a.beta1());
            o.put("beta2", a.beta2());
            o.put("epsilon", a.epsilon());
            o.put("weight_decay", a.weightDecay());
            o.put("correct_bias", a.correctBias());
        }
        o.put("max_grad_norm", cfg.maxGradNorm());
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    /** Hex SHA-256 of a file, streamed. */
    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) > 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
