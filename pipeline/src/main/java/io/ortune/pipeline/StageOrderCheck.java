package io.ortune.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The pipeline-wide rules: a {@code base} section, sections written in run order, each stage's prerequisites
 * present ({@code merge} needs a trained adapter, {@code evaluate} a training stage, ...), top-level values in range.
 */
final class StageOrderCheck {

    private StageOrderCheck() {
    }

    static void check(PipelineConfig c, StageCheck.Issues issues) {
        if (!c.has(StageName.BASE)) {
            issues.add("base", "missing: every pipeline starts with a base model (base: {bundled: all-minilm-l6-v2},"
                    + " {onnx: FILE}, {llama2c: FILE} or {hf-config: FILE, hf-weights: FILE})");
        }
        List<StageName> stages = c.stages();
        StageName previous = null;
        int previousLine = 0;
        for (StageName s : stages) {
            int line = c.line(s.key());
            if (previous != null && line > 0 && line < previousLine) {
                issues.add(s.key(), "written before '" + previous.key() + "' but runs after it: stages run in the "
                        + "order base, inject, train, evaluate, merge, quantize, compile, bench, report; move it "
                        + "below " + previous.key());
            }
            if (line >= previousLine) {
                previous = s;
                previousLine = line;
            }
        }
        requires(c, issues, StageName.TRAIN, StageName.INJECT, "trains the injected adapter; add an inject: section "
                + "(full fine-tuning is 'ortune train' without --peft)");
        requires(c, issues, StageName.EVALUATE, StageName.TRAIN, "compares held-out quality before and after "
                + "training; add a train: section");
        requires(c, issues, StageName.MERGE, StageName.TRAIN, "folds a trained adapter into the base; add inject: and "
                + "train: sections");
        if (c.has(StageName.REPORT) && !c.has(StageName.EVALUATE) && !c.has(StageName.BENCH)) {
            issues.add("report", "has nothing to report: add an evaluate: or bench: section");
        }
        Integer threads = c.file().threads();
        if (threads != null && threads < 0) {
            issues.add("threads", "must be >= 0 (0 = ONNX Runtime's choice), got " + threads);
        }
        String name = c.file().name();
        if (name != null && (name.isBlank() || !name.matches("[A-Za-z0-9._-]+"))) {
            issues.add("name", "'" + name + "': use letters, digits, '.', '_' and '-' (it names files)");
        }
    }

    private static void requires(PipelineConfig c, StageCheck.Issues issues, StageName stage, StageName needed,
                                 String why) {
        if (c.has(stage) && !c.has(needed)) {
            issues.add(stage.key(), "cannot run without '" + needed.key() + "': it " + why);
        }
    }

    /** Reports {@code key} when {@code value} does not name a readable file (or folder when {@code folderOk}). */
    static void file(PipelineConfig c, StageCheck.Issues issues, String key, String value, String what,
                     boolean folderOk) {
        if (value == null) {
            return;
        }
        Path p = c.resolve(value);
        if (!Files.exists(p)) {
            issues.add(key, what + " not found: " + p + (value.equals(p.toString()) ? "" : " ('" + value
                    + "' resolved against " + c.baseDir() + ")"));
        } else if (!folderOk && !Files.isRegularFile(p)) {
            issues.add(key, what + " " + p + " is not a file");
        } else if (!Files.isReadable(p)) {
            issues.add(key, "cannot read the " + what + " " + p + ": permission denied");
        }
    }
}
