package io.ortune.graph.peft;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The PEFT methods ortune injects, with their CLI names and PEFT's {@code peft_type}. */
public enum PeftMethod {
    LORA("lora", "LORA"),
    DORA("dora", "LORA"),
    ADAPTER("adapter", "BOTTLENECK_ADAPTER"),
    PREFIX("prefix", "PREFIX_TUNING"),
    PROMPT("prompt", "PROMPT_TUNING"),
    IA3("ia3", "IA3");

    private final String cliName;
    private final String peftType;

    PeftMethod(String cliName, String peftType) {
        this.cliName = cliName;
        this.peftType = peftType;
    }

    /** The name {@code --method}/{@code --peft} take. */
    public String cliName() {
        return cliName;
    }

    /**
     * PEFT's {@code peft_type} ({@code LORA} for DoRA too, with {@code use_dora}). Bottleneck adapters are not a
     * PEFT method; ortune writes them as {@code BOTTLENECK_ADAPTER}, which Python PEFT does not load.
     */
    public String peftType() {
        return peftType;
    }

    /** Parses a CLI name, case-insensitively; the message lists the valid names. */
    public static PeftMethod parse(String name) {
        for (PeftMethod m : values()) {
            if (m.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown PEFT method '" + name + "': use one of "
                + Arrays.stream(values()).map(PeftMethod::cliName).collect(Collectors.joining(", ")));
    }
}
