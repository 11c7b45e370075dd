package io.ortune.pipeline.config;

import java.util.List;

/**
 * {@code compile:} a TensorRT engine when a GPU is present; without one the stage is skipped with a note.
 *
 * @param precision {@code fp32}, {@code fp16}, {@code bf16} or {@code int8} (int8 needs the explicit Q/DQ model of
 *                  {@code quantize: {mode: int8}})
 * @param profiles  one optimization profile, {@code min,opt,max} shapes as {@code "1x16,8x128,32x256"}
 *                  (batch x sequence), applied to every [batch, sequence] input
 * @param workspaceMb builder workspace (1024)
 */
public record CompileSection(String precision, List<String> profiles, Integer workspaceMb) {

    public static final List<String> PRECISIONS = List.of("fp32", "fp16", "bf16", "int8");

    public String precisionOr() { return precision == null ? "fp16" : precision; }
}
