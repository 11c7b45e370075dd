package io.ortune.training.data;

/**
 * The Stanford Alpaca prompt template. With an input:
 *
 * <pre>
 * Below is an instruction that describes a task, paired with an input that provides further context. Write a
 * response that appropriately completes the request.
 *
 * ### Instruction:
 * {instruction}
 *
 * ### Input:
 * {input}
 *
 * ### Response:
 * </pre>
 *
 * and without one the first sentence is "Below is an instruction that describes a task." and the Input section is
 * left out. The response follows the prompt directly; the loss covers only the response tokens (and the
 * end-of-sequence token after them).
 */
public final class AlpacaTemplate {

    static final String WITH_INPUT = "Below is an instruction that describes a task, paired with an input that "
            + "provides further context. Write a response that appropriately completes the request.\n\n";
    static final String WITHOUT_INPUT = "Below is an instruction that describes a task. Write a response that "
            + "appropriately completes the request.\n\n";

    private AlpacaTemplate() {
    }

    /** The prompt for {@code instruction} and an optional {@code input} (null or blank = none), ending in a newline. */
    public static String prompt(String instruction, String input) {
        boolean hasInput = input != null && !input.isBlank();
        StringBuilder s = new StringBuilder(hasInput ? WITH_INPUT : WITHOUT_INPUT);
        s.append("### Instruction:\n").append(instruction).append("\n\n");
        if (hasInput) {
            s.append("### Input:\n").append(input).append("\n\n");
        }
        return s.append("### Response:\n").toString();
    }
}
