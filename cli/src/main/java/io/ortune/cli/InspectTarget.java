package io.ortune.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kinds of path {@code ortune inspect} summarises, recognised by layout (folders) and content (files). */
enum InspectTarget {
    ONNX, SAFETENSORS, LLAMA2C, ONNX_ADAPTER, CHECKPOINT_FILE, CHECKPOINT_FOLDER, RUN_FOLDER, PEFT_ADAPTER;

    /** What {@code p} is; folders that are none of the known layouts are refused with what would be right. */
    static InspectTarget of(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            return folder(p);
        }
        byte[] head = new byte[16];
        int n;
        try (InputStream in = Files.newInputStream(p)) {
            n = in.readNBytes(head, 0, head.length);
        }
        String id = n >= 8 ? new String(head, 4, 4, StandardCharsets.ISO_8859_1) : "";
        String name = p.getFileName().toString();
        if (name.endsWith(".onnx_adapter") || id.equals("TORT")) {
            return ONNX_ADAPTER;
        }
        if (id.equals("ODTC")) {
            return CHECKPOINT_FILE;
        }
        if (name.endsWith(".safetensors") || n >= 9 && head[8] == '{') {
            return SAFETENSORS;
        }
        if (name.endsWith(".bin")) {
            return LLAMA2C;
        }
        return ONNX;
    }

    private static InspectTarget folder(Path p) throws IOException {
        if (Files.isRegularFile(p.resolve("adapter_config.json"))) {
            return PEFT_ADAPTER;
        }
        if (Files.isRegularFile(p.resolve("checkpoint")) && Files.isRegularFile(p.resolve("trainer_state.json"))) {
            return CHECKPOINT_FOLDER;
        }
        if (io.ortune.training.trainer.RunSummary.isRunFolder(p)) {
            return RUN_FOLDER;
        }
        throw new IllegalArgumentException(p + " is a folder ortune does not recognise: a training run folder holds "
                + "checkpoints/ or metrics.jsonl, a checkpoint folder holds checkpoint and trainer_state.json, a PEFT "
                + "adapter folder holds adapter_config.json");
    }
}
