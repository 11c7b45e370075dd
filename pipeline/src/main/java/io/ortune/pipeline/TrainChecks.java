package io.ortune.pipeline;

import io.ortune.graph.peft.PeftMethod;
import io.ortune.pipeline.config.BaseSection;
import io.ortune.pipeline.config.InjectSection;
import io.ortune.pipeline.config.TokenTask;
import io.ortune.pipeline.config.TrainSection;
import io.ortune.training.trainer.LrSchedule;

/** {@code inject:}, {@code train:} and {@code evaluate:} values, and what training needs from the base. */
final class TrainChecks {

    private TrainChecks() {
    }

    static void check(PipelineConfig c, StageCheck.Issues issues) {
        InjectSection inj = c.file().inject();
        if (inj != null) {
            try {
                PeftMethod.parse(inj.methodOrDefault());
            } catch (IllegalArgumentException e) {
                issues.add("inject.method", e.getMessage());
            }
            positive(issues, "inject.r", inj.r());
        }
        TrainSection t = c.file().train();
        if (t == null) {
            return;
        }
        String objective = t.objectiveOr();
        if (!objective.equals(TrainSection.REWARD) && !objective.equals(TrainSection.CAUSAL_LM)) {
            issues.add("train.objective", "'" + objective + "': use causal-lm (decoders) or reward (preference "
                    + "pairs, Bradley-Terry loss on a scalar head)");
        }
        if ((t.data() == null) == (t.task() == null)) {
            issues.add("train", "give data: FILE or task: {kind: successor-map, ...}, exactly one");
        }
        StageOrderCheck.file(c, issues, "train.data", t.data(), "training data", false);
        if (t.task() != null) {
            task(issues, t.task(), objective);
        }
        BaseSection b = c.file().base();
        boolean tokenizer = b != null && (b.bundled() != null || b.tokenizer() != null);
        if (t.data() != null && !tokenizer && objective.equals(TrainSection.REWARD)) {
            issues.add("train.data", "preference pairs are text: the base needs a tokenizer (base.tokenizer)");
        }
        if (t.quantize() != null && !t.quantize().equals("nf4")) {
            issues.add("train.quantize", "'" + t.quantize() + "': training quantizes the frozen base to nf4 only "
                    + "(QLoRA); int8/int4 of the trained model belong in the quantize: stage");
        }
        if (t.doubleQuant() != null && t.doubleQuant() && !t.qlora()) {
            issues.add("train.double-quant", "needs quantize: nf4");
        }
        if (t.schedule() != null) {
            try {
                LrSchedule.Kind.parse(t.schedule());
            } catch (IllegalArgumentException e) {
                issues.add("train.schedule", e.getMessage());
            }
        }
        double f = t.evalFractionOr();
        if (f < 0 || f >= 1) {
            issues.add("train.eval-fraction", "must be in [0, 1), got " + f);
        } else if (f == 0 && c.has(StageName.EVALUATE)) {
            issues.add("train.eval-fraction", "is 0 but the evaluate stage needs held-out rows; use e.g. 0.1");
        }
        positive(issues, "train.examples", t.examples());
        positive(issues, "train.max-length", t.maxLength());
        positive(issues, "train.batch-size", t.batchSize());
        if (t.maxSteps() != null && t.maxSteps() < 1) {
            issues.add("train.max-steps", "must be >= 1, got " + t.maxSteps());
        }
        if (t.lr() != null && !(t.lr() > 0 && t.lr() < 1)) {
            issues.add("train.lr", "must be in (0, 1), got " + t.lr());
        }
        if (t.saveEvery() != null && t.saveEvery() < 0) {
            issues.add("train.save-every", "must be >= 0 (0 = only at the end), got " + t.saveEvery());
        }
        if (c.has(StageName.EVALUATE) && c.file().evaluate() != null) {
            positive(issues, "evaluate.batch-size", c.file().evaluate().batchSize());
        }
    }

    private static void task(StageCheck.Issues issues, TokenTask task, String objective) {
        if (!TokenTask.SUCCESSOR_MAP.equals(task.kind())) {
            issues.add("train.task.kind", "'" + task.kind() + "': the generated task is " + TokenTask.SUCCESSOR_MAP);
        }
        if (!objective.equals(TrainSection.CAUSAL_LM)) {
            issues.add("train.task", "a token-id task trains objective causal-lm, not " + objective);
        }
        if (task.tokensOr() < 2) {
            issues.add("train.task.tokens", "needs at least 2 ids, got " + task.tokensOr());
        }
        if (task.rowsOr() < 4) {
            issues.add("train.task.rows", "needs at least 4 rows (some are held out), got " + task.rowsOr());
        }
        if (task.lengthOr() < 2) {
            issues.add("train.task.length", "needs at least 2 ids per row, got " + task.lengthOr());
        }
        if (task.firstIdOr() < 0) {
            issues.add("train.task.first-id", "must be >= 0, got " + task.firstIdOr());
        }
    }

    static void positive(StageCheck.Issues issues, String key, Integer v) {
        if (v != null && v < 1) {
            issues.add(key, "must be >= 1, got " + v);
        }
    }
}
