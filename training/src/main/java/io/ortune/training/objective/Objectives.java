package io.ortune.training.objective;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.training.data.Batch;
import io.ortune.training.data.Collator;
import io.ortune.training.data.Example;
import io.ortune.training.data.PreferencePair;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The trainer's objectives by name: {@code causal-lm} (default), {@code reward}, {@code classification}. */
public final class Objectives {

    /** The CLI names. */
    public static final List<String> NAMES = List.of("causal-lm", "reward", "classification");
    /** File a reward run writes: the scoring model, output {@value RewardModelObjective#SCORE} [batch]. */
    public static final String REWARD_MODEL = "reward_model.onnx";
    /** File a classification run writes: output {@value ClassificationObjective#LOGITS} [batch, num_labels]. */
    public static final String CLASSIFIER = "classifier.onnx";

    private Objectives() {
    }

    /** Hugging Face's causal-LM loss ({@link CausalLmObjective}); rows are token examples with labels. */
    public static Objective causalLm() {
        return new Objective() {
            @Override
            public String name() {
                return "causal-lm";
            }

            @Override
            public Graph append(Model forward) {
                return new Graph(CausalLmObjective.append(forward).model(), List.of());
            }

            @Override
            public Fed feed(List<Example> rows, Collator collator) {
                Batch b = collator.collate(rows);
                return new Fed(BatchFeeds.of(b), b.labelledTargets(), b.tokens());
            }

            @Override
            public List<String> metrics() {
                return List.of();
            }

            @Override
            public boolean reportsPerplexity() {
                return true;
            }

            @Override
            public List<Export> exports(Model forward) {
                return List.of();
            }
        };
    }

    /**
     * The reward model ({@link RewardModelObjective}); rows are {@link PreferencePair#toExample() packed pairs},
     * fed as 2B rows (chosen first); the loss averages over pairs. Writes {@value #REWARD_MODEL}.
     */
    public static Objective reward(RewardModelObjective.Config config) {
        return new Objective() {
            @Override
            public String name() {
                return "reward";
            }

            @Override
            public Graph append(Model forward) {
                RewardModelObjective.Appended a = RewardModelObjective.append(forward, config);
                return new Graph(a.model(), a.headParameters());
            }

            @Override
            public Fed feed(List<Example> rows, Collator collator) {
                List<Example> chosen = new ArrayList<>(rows.size() * 2);
                List<Example> rejected = new ArrayList<>(rows.size());
                for (Example e : rows) {
                    PreferencePair p = PreferencePair.of(e);
                    chosen.add(Example.causal(p.chosen()));
                    rejected.add(Example.causal(p.rejected()));
                }
                chosen.addAll(rejected);
                Batch b = collator.collate(chosen);
                return new Fed(BatchFeeds.of(b), rows.size(), b.tokens());
            }

            @Override
            public List<String> metrics() {
                return List.of(RewardModelObjective.ACCURACY, RewardModelObjective.MARGIN);
            }

            @Override
            public boolean reportsPerplexity() {
                return false;
            }

            @Override
            public List<Export> exports(Model forward) {
                return List.of(new Export(REWARD_MODEL, RewardModelObjective.scoringModel(forward, config)));
            }
        };
    }

    /**
     * Sequence classification ({@link ClassificationObjective}); rows are
     * {@link io.ortune.training.data.ClassificationData#example labelled examples}; the loss averages over rows.
     * Writes {@value #CLASSIFIER}.
     */
    public static Objective classification(ClassificationObjective.Config config) {
        return new Objective() {
            @Override
            public String name() {
                return "classification";
            }

            @Override
            public Graph append(Model forward) {
                ClassificationObjective.Appended a = ClassificationObjective.append(forward, config);
                return new Graph(a.model(), a.headParameters());
            }

            @Override
            public Fed feed(List<Example> rows, Collator collator) {
                Batch b = collator.collate(rows);
                long[] labels = new long[rows.size()];
                for (int r = 0; r < labels.length; r++) {
                    labels[r] = io.ortune.training.data.ClassificationData.label(rows.get(r));
                    if (labels[r] < 0 || labels[r] >= config.numLabels()) {
                        throw new IllegalArgumentException("row label " + labels[r] + " is outside [0, "
                                + config.numLabels() + ")");
                    }
                }
                Map<String, Tensor> f = BatchFeeds.of(b);
                f.put(ClassificationObjective.LABELS, Tensor.ofLongs(ClassificationObjective.LABELS,
                        new long[] {labels.length}, labels));
                return new Fed(f, rows.size(), b.tokens());
            }

            @Override
            public List<String> metrics() {
                return List.of(ClassificationObjective.ACCURACY);
            }

            @Override
            public boolean reportsPerplexity() {
                return false;
            }

            @Override
            public List<Export> exports(Model forward) {
                return List.of(new Export(CLASSIFIER, ClassificationObjective.classifierModel(forward, config)));
            }
        };
    }

    /**
     * The objective called {@code name} ({@link #NAMES}).
     *
     * @param numLabels classes, for {@code classification} (ignored otherwise)
     * @throws IllegalArgumentException for an unknown name
     */
    public static Objective byName(String name, int numLabels) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "causal-lm" -> causalLm();
            case "reward" -> reward(RewardModelObjective.Config.defaults());
            case "classification" -> classification(ClassificationObjective.Config.of(numLabels));
            default -> throw new IllegalArgumentException("unknown objective '" + name + "'; expected one of "
                    + NAMES);
        };
    }
}
