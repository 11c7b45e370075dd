package io.ortune.training.data;

import io.ortune.graph.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Builds k-shot prompts: for each query, k support records (each rendered as its Alpaca prompt followed by its
 * response, separated by a blank line) followed by the query's prompt. {@link FewShotSelection#RANDOM} draws k
 * distinct support records per query from one {@link Random} seeded once, so a seed fixes the whole file.
 */
public final class FewShot {

    /** What separates two demonstrations, and the last one from the query. */
    public static final String SEPARATOR = "\n\n";

    private FewShot() {
    }

    /**
     * The prompts for {@code queries}, in their order.
     *
     * @param supportFile named in the error when {@code k} exceeds the support set
     * @throws IllegalArgumentException for k &lt; 1
     * @throws DataFormatException when the support set has fewer than k records
     */
    public static List<FewShotPrompt> build(Path supportFile, List<ShotRecord> support, List<ShotRecord> queries,
                                            int k, long seed, FewShotSelection selection) {
        if (k < 1) {
            throw new IllegalArgumentException("--k must be at least 1, got " + k);
        }
        if (k > support.size()) {
            throw new DataFormatException(supportFile, 0, "--k " + k + " needs at least " + k
                    + " support records, the file has " + support.size());
        }
        Random random = new Random(seed);
        List<Set<String>> supportWords = selection == FewShotSelection.SIMILAR
                ? support.stream().map(s -> words(s.prompt())).toList() : List.of();
        List<FewShotPrompt> out = new ArrayList<>(queries.size());
        for (ShotRecord q : queries) {
            List<Integer> chosen = selection == FewShotSelection.SIMILAR
                    ? mostSimilar(words(q.prompt()), supportWords, k) : draw(random, support.size(), k);
            StringBuilder prompt = new StringBuilder();
            List<Long> lines = new ArrayList<>(k);
            for (int i : chosen) {
                prompt.append(support.get(i).rendered()).append(SEPARATOR);
                lines.add(support.get(i).line());
            }
            prompt.append(q.prompt());
            out.add(new FewShotPrompt(prompt.toString(), q.response(), q.line(), lines));
        }
        return out;
    }

    /** Writes {@code prompts} to {@code out} as JSON Lines ({@link FewShotPrompt#toJsonLine}), atomically. */
    public static void write(Path out, List<FewShotPrompt> prompts) throws IOException {
        StringBuilder s = new StringBuilder();
        for (FewShotPrompt p : prompts) {
            s.append(p.toJsonLine()).append('\n');
        }
        AtomicFiles.writeString(out, s.toString());
    }

    /** k distinct indices of [0, n) in drawing order (a partial Fisher–Yates shuffle). */
    static List<Integer> draw(Random random, int n, int k) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        List<Integer> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            out.add(idx[i]);
        }
        return out;
    }

    static List<Integer> mostSimilar(Set<String> query, List<Set<String>> support, int k) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < support.size(); i++) {
            order.add(i);
        }
        double[] score = new double[support.size()];
        for (int i = 0; i < score.length; i++) {
            score[i] = jaccard(query, support.get(i));
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -score[i]).thenComparingInt(i -> i));
        return order.subList(0, k);
    }

    /** |a ∩ b| / |a ∪ b|, 0 when both are empty. */
    static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 0;
        }
        int common = 0;
        for (String w : a) {
            if (b.contains(w)) {
                common++;
            }
        }
        return (double) common / (a.size() + b.size() - common);
    }

    /** The lower-cased words (runs of letters and digits) of {@code text}, without the template's own words. */
    static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        out.removeAll(TEMPLATE_WORDS);
        return out;
    }

    private static final Set<String> TEMPLATE_WORDS = words0(AlpacaTemplate.WITH_INPUT + AlpacaTemplate.WITHOUT_INPUT
            + " Instruction Input Response");

    private static Set<String> words0(String text) {
        Set<String> out = new HashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
