package io.ortune.training.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One built few-shot prompt: {@code prompt} (the demonstrations, then the query's prompt), the query's
 * {@code reference} response, the query's line and the lines of the support records used.
 */
public record FewShotPrompt(String prompt, String reference, long queryLine, List<Long> supportLines) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public FewShotPrompt {
        supportLines = List.copyOf(supportLines);
    }

    /**
     * The JSON Lines record: {@code prompt} and {@code reference} for evaluation, {@code text} = prompt + reference
     * so that {@link DatasetLoader} reads the file as {@link DataFormat#JSONL} training data, and the lines used.
     */
    public String toJsonLine() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("prompt", prompt);
        o.put("reference", reference);
        o.put("text", prompt + reference);
        o.put("query_line", queryLine);
        supportLines.forEach(o.putArray("support_lines")::add);
        return o.toString();
    }
}
