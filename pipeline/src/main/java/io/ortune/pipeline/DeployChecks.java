package io.ortune.pipeline;

import io.ortune.pipeline.config.BenchSection;
import io.ortune.pipeline.config.CompileSection;
import io.ortune.pipeline.config.QuantizeSection;
import io.ortune.pipeline.config.TrainSection;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code quantize:}, {@code compile:}, {@code bench:}, {@code report:} values, and what each needs before it. */
final class DeployChecks {

    private DeployChecks() {
    }

    static void check(PipelineConfig c, StageCheck.Issues issues) {
        if (c.file().merge() != null && !io.ortune.pipeline.config.MergeSection.INTO.contains(
                c.file().merge().intoOr())) {
            issues.add("merge.into", "'" + c.file().merge().into() + "': use dequantized (the NF4 weights trained "
                    + "against) or base (the base stage's float weights)");
        }
        QuantizeSection q = c.file().quantize();
        if (q != null) {
            quantize(issues, q);
        }
        CompileSection comp = c.file().compile();
        if (comp != null) {
            compile(issues, comp, q);
        }
        BenchSection b = c.file().bench();
        if (b != null) {
            bench(c, issues, b);
        }
        if (c.file().report() != null) {
            String html = c.file().report().htmlOr();
            if (!html.matches("[A-Za-z0-9._-]+\\.html")) {
                issues.add("report.html", "'" + html + "': a file name ending in .html (it is written in the report "
                        + "stage's folder)");
            }
        }
    }

    private static void quantize(StageCheck.Issues issues, QuantizeSection q) {
        if (q.mode() != null && q.modes() != null) {
            issues.add("quantize.modes", "give mode or modes, not both");
        }
        List<String> modes = q.modesOr();
        if (modes.isEmpty()) {
            issues.add("quantize", "no mode: give mode: int8|dynamic|int4|nf4 (or modes: [...])");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < modes.size(); i++) {
            String m = modes.get(i);
            String key = q.mode() != null ? "quantize.mode" : "quantize.modes." + i;
            if (!QuantizeSection.MODES.contains(m)) {
                issues.add(key, "'" + m + "': use one of " + String.join(", ", QuantizeSection.MODES));
            } else if (!seen.add(m)) {
                issues.add(key, "'" + m + "' is listed twice");
            }
        }
        TrainChecks.positive(issues, "quantize.calibration-samples", q.calibrationSamples());
        Integer bs = q.blockSize();
        if (q.target() != null && !QuantizeSection.TARGETS.contains(q.target())) {
            issues.add("quantize.target", "'" + q.target() + "': use tensorrt or ort");
        }
        if (bs != null && (bs < 16 || Integer.bitCount(bs) != 1)) {
            issues.add("quantize.block-size", "must be a power of two >= 16, got " + bs);
        }
    }

    private static void compile(StageCheck.Issues issues, CompileSection comp, QuantizeSection q) {
        String p = comp.precisionOr();
        if (!CompileSection.PRECISIONS.contains(p)) {
            issues.add("compile.precision", "'" + p + "': use fp32, fp16, bf16 or int8");
        } else if (p.equals("int8") && (q == null || !q.modesOr().contains("int8"))) {
            issues.add("compile.precision", "int8 needs a model with explicit Q/DQ nodes (TensorRT 10+ builds int8 "
                    + "from Q/DQ only): add quantize: {mode: int8}" + (q == null ? "" : " (modes "
                    + q.modesOr() + " make no Q/DQ model)"));
        } else if (p.equals("int8") && q.targetOr().equals("ort")) {
            issues.add("compile.precision", "int8 needs TensorRT's symmetric Q/DQ (zero point 0), but quantize.target "
                    + "is ort: drop it or set quantize.target: tensorrt");
        }
        List<String> profiles = comp.profiles() == null ? List.of() : comp.profiles();
        for (int i = 0; i < profiles.size(); i++) {
            if (!profiles.get(i).matches("\\d+x\\d+,\\d+x\\d+,\\d+x\\d+")) {
                issues.add("compile.profiles." + i, "'" + profiles.get(i) + "': write min,opt,max shapes as "
                        + "BATCHxSEQ, e.g. \"1x16,8x128,32x256\"");
            }
        }
        if (profiles.size() > 1) {
            issues.add("compile.profiles", "one profile per engine (min,opt,max), got " + profiles.size());
        }
        TrainChecks.positive(issues, "compile.workspace-mb", comp.workspaceMb());
    }

    private static void bench(PipelineConfig c, StageCheck.Issues issues, BenchSection b) {
        List<Integer> batches = b.batch() == null ? List.of() : b.batch();
        for (int i = 0; i < batches.size(); i++) {
            TrainChecks.positive(issues, "bench.batch." + i, batches.get(i));
        }
        TrainChecks.positive(issues, "bench.seq", b.seq());
        if (b.runs() != null && b.runs() < 10) {
            issues.add("bench.runs", "must be >= 10 (percentiles of fewer runs say little), got " + b.runs());
        }
        if (b.warmup() != null && b.warmup() < 0) {
            issues.add("bench.warmup", "must be >= 0, got " + b.warmup());
        }
        boolean encoder = c.file().base() != null && c.file().base().bundled() != null
                || c.file().train() != null && TrainSection.REWARD.equals(c.file().train().objectiveOr());
        if (b.generate() != null) {
            if (encoder) {
                issues.add("bench.generate", "generation needs a decoder; this pipeline makes a reward model "
                        + "(an encoder with a scalar head): drop bench.generate");
            }
            TrainChecks.positive(issues, "bench.generate.prompt-len", b.generate().promptLen());
            TrainChecks.positive(issues, "bench.generate.new-tokens", b.generate().newTokens());
        }
    }
}
