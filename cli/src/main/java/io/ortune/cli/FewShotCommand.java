package io.ortune.cli;

import io.ortune.training.data.FewShot;
import io.ortune.training.data.FewShotPrompt;
import io.ortune.training.data.FewShotSelection;
import io.ortune.training.data.ShotRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ortune fewshot}: k-shot prompts from a support set for each query record ({@link FewShot}). */
@Command(name = "fewshot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build k-shot prompts (Alpaca template) for evaluation and training.",
            "  ortune fewshot --support train.jsonl --query test.jsonl --k 5 -o fewshot.jsonl"})
final class FewShotCommand implements Callable<Integer> {

    @Option(names = "--support", required = true, paramLabel = "FILE",
            description = "Demonstrations: Alpaca instruction/input/output, prompt/response or text records.")
    Path support;

    @Option(names = "--query", required = true, paramLabel = "FILE", description = "Queries (same record shapes).")
    Path query;

    @Option(names = "--k", paramLabel = "K", defaultValue = "5", description = "Demonstrations per query (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the random choice (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--select", paramLabel = "random|similar", defaultValue = "random",
            description = "random (seeded) or similar (most shared words) demonstrations (default ${DEFAULT-VALUE}).")
    String select;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.jsonl",
            description = "JSON Lines: prompt, reference, text (= prompt + reference), query_line, support_lines.")
    Path output;

    @Override
    public Integer call() throws Exception {
        FewShotSelection selection = FewShotSelection.parse(select);
        List<FewShotPrompt> prompts = FewShot.build(support, ShotRecord.load(support), ShotRecord.load(query), k, seed,
                selection);
        FewShot.write(output, prompts);
        System.out.println("wrote " + prompts.size() + " " + k + "-shot prompts to " + output);
        return 0;
    }
}
