package io.ortune.training.data;

import io.ortune.models.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads training (and optionally evaluation) data into rows ready for the trainer: load, split off a seeded eval
 * fraction when no eval file is given, then pack or keep one example per row.
 */
public final class TrainingData {

    /**
     * Rows and what reading made of the files.
     *
     * @param trainRows    training rows
     * @param evalRows     evaluation rows (empty when neither an eval file nor an eval fraction was given)
     * @param trainReport  the training file's report
     * @param evalReport   the eval file's report, or null when the eval rows were split off the training file
     * @param trainExamples examples that went to training (before packing)
     * @param evalExamples  examples that went to evaluation (before packing)
     */
    public record Prepared(List<Example> trainRows, List<Example> evalRows, LoadReport trainReport,
                           LoadReport evalReport, int trainExamples, int evalExamples) {
        public Prepared {
            trainRows = List.copyOf(trainRows);
            evalRows = List.copyOf(evalRows);
        }
    }

    private TrainingData() {
    }

    /**
     * Prepares rows.
     *
     * @param data         the training file
     * @param evalData     an eval file, or null
     * @param tokenizer    the tokenizer (null only for pre-tokenized data)
     * @param options      how to read the files
     * @param layout       pack or pad
     * @param evalFraction fraction of {@code data} held out when {@code evalData} is null (0 = none)
     * @param seed         split seed
     */
    public static Prepared prepare(Path data, Path evalData, Tokenizer tokenizer, LoadOptions options,
                                   Rows.Layout layout, double evalFraction, long seed) throws IOException {
        Dataset train = DatasetLoader.load(data, tokenizer, options);
        List<Example> trainExamples = train.examples();
        List<Example> evalExamples = List.of();
        LoadReport evalReport = null;
        if (evalData != null) {
            Dataset eval = DatasetLoader.load(evalData, tokenizer, options);
            evalExamples = eval.examples();
            evalReport = eval.report();
        } else if (evalFraction > 0) {
            Splits.Split split = Splits.split(trainExamples, evalFraction, seed);
            trainExamples = split.train();
            evalExamples = split.eval();
        }
        List<Example> trainRows = Rows.of(trainExamples, layout, options.maxLength());
        if (trainRows.isEmpty()) {
            throw new DataFormatException(data, 0, "no training rows after " + layout.name().toLowerCase()
                    + " (every example was empty)");
        }
        return new Prepared(trainRows, Rows.of(evalExamples, layout, options.maxLength()), train.report(), evalReport,
                trainExamples.size(), evalExamples.size());
    }
}
