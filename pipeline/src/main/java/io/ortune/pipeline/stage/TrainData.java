package io.ortune.pipeline.stage;

import io.ortune.graph.ir.Model;
import io.ortune.models.tokenizer.Tokenizer;
import io.ortune.models.tokenizer.Tokenizers;
import io.ortune.pipeline.PipelineConfig;
import io.ortune.pipeline.config.TrainSection;
import io.ortune.training.data.DataFormat;
import io.ortune.training.data.Example;
import io.ortune.training.data.LoadOptions;
import io.ortune.training.data.PreferenceData;
import io.ortune.training.data.PreferencePair;
import io.ortune.training.data.Rows;
import io.ortune.training.data.Splits;
import io.ortune.training.data.TrainingData;
import io.ortune.training.objective.CausalLmSignature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The train stage's rows: preference pairs, a data file, or the generated token-id task; split by the seed. */
final class TrainData {

    /**
     * Rows for training and evaluation.
     *
     * @param train       training rows
     * @param eval        held-out rows
     * @param pad         the pad id
     * @param description one line for the progress log
     */
    record Split(List<Example> train, List<Example> eval, int pad, String description) {
    }

    private TrainData() {
    }

    static Split load(PipelineConfig c, TrainSection t, Model model, Path tokenizer, long seed) throws IOException {
        if (t.task() != null) {
            long vocab = CausalLmSignature.of(model, "the base model").vocab();
            Splits.Split s = Splits.split(SuccessorTask.rows(t.task(), vocab), t.evalFractionOr(), seed);
            return new Split(s.train(), s.eval(), 0, "task successor-map: " + s.train().size() + " training and "
                    + s.eval().size() + " held-out rows of " + t.task().lengthOr() + " ids over a cycle of "
                    + t.task().tokensOr() + " ids (seed " + t.task().seedOr() + ")");
        }
        Path data = c.resolve(t.data());
        try (Tokenizer tok = tokenizer == null ? null : Tokenizers.load(tokenizer)) {
            int pad = tok == null ? 0 : tok.padId().orElse(tok.eosId().orElse(0));
            if (TrainSection.REWARD.equals(t.objectiveOr())) {
                PreferenceData.Loaded loaded = PreferenceData.load(data, tok, t.maxLengthOr(), true);
                List<PreferencePair> pairs = loaded.pairs();
                if (t.examples() != null && t.examples() < pairs.size()) {
                    pairs = pairs.subList(0, t.examples());
                }
                List<Example> rows = new ArrayList<>();
                pairs.forEach(p -> rows.add(p.toExample()));
                Splits.Split s = Splits.split(rows, t.evalFractionOr(), seed);
                return new Split(s.train(), s.eval(), pad, "preference pairs: " + s.train().size() + " training and "
                        + s.eval().size() + " held out (max length " + t.maxLengthOr() + ", " + loaded.truncated()
                        + " truncated)");
            }
            long vocab = CausalLmSignature.of(model, "the base model").vocab();
            LoadOptions lo = new LoadOptions(t.format() == null ? null : DataFormat.parse(t.format()), t.maxLengthOr(),
                    false, true, Math.toIntExact(vocab));
            TrainingData.Prepared p = TrainingData.prepare(data, null, tok, lo, Rows.Layout.PACK, t.evalFractionOr(),
                    seed);
            return new Split(p.trainRows(), p.evalRows(), pad, "data: " + p.trainReport().summary() + "; "
                    + p.trainRows().size() + " training and " + p.evalRows().size() + " held-out rows");
        }
    }
}
