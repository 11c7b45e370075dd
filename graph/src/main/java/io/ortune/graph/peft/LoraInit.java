package io.ortune.graph.peft;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a LoRA pair starts, with PEFT's {@code init_lora_weights} spelling.
 *
 * <ul>
 *   <li>{@link #KAIMING} ({@code true}, PEFT's default): A Kaiming-uniform with a = √5, i.e. U(−1/√in, 1/√in);
 *       B zero. Outputs are bit-identical to the base model's.</li>
 *   <li>{@link #GAUSSIAN} ({@code "gaussian"}): A ~ N(0, σ = 1/r) (PEFT's {@code std=1/r}); B zero. Bit-identical.</li>
 *   <li>{@link #PISSA} ({@code "pissa"}): A and B from the top-r singular triplets of W, and W replaced by the
 *       residual W − s·B·A. Outputs equal the base model's to float32 rounding only.</li>
 *   <li>{@link #OLORA} ({@code "olora"}): A and B from the first r columns/rows of the QR factorisation of W, W
 *       replaced by W − s·B·A. Outputs equal the base model's to float32 rounding only.</li>
 * </ul>
 * Random draws use Java's generator seeded from the config's seed and the module name, so they are reproducible
 * but not the numbers PyTorch would draw.
 */
public enum LoraInit {
    KAIMING("true"),
    GAUSSIAN("gaussian"),
    PISSA("pissa"),
    OLORA("olora");

    private final String peftValue;

    LoraInit(String peftValue) {
        this.peftValue = peftValue;
    }

    /** PEFT's {@code init_lora_weights} value. */
    public String peftValue() {
        return peftValue;
    }

    /** Whether the base weight is rewritten (PiSSA, OLoRA). */
    public boolean changesBaseWeight() {
        return this == PISSA || this == OLORA;
    }

    /** Parses a CLI or PEFT spelling: {@code kaiming}, {@code true}, {@code gaussian}, {@code pissa}, {@code olora}. */
    public static LoraInit parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (LoraInit i : values()) {
            if (i.peftValue.equals(v) || i.name().toLowerCase(Locale.ROOT).equals(v)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown LoRA init '" + s + "': use one of "
                + Arrays.stream(values()).map(i -> i.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                + " (PEFT's init_lora_weights true, gaussian, pissa, olora)");
    }
}
