package io.ortune.export.quant;

import io.ortune.graph.ir.Model;
import io.ortune.graph.pass.Opset13UpgradePass;
import io.ortune.graph.pass.PassResult;

import java.util.ArrayList;
import java.util.List;

/**
 * The library form of {@code ortune quantize}: static int8 QDQ (calibrate, then apply the plan), dynamic int8 or
 * int4 weight-only. Models at opset 11/12 are lifted to 13 first for QDQ (per-channel DequantizeLinear).
 *
 * <pre>{@code
 * TokenRows calib = TokenRows.read(Path.of("calib.jsonl"), 64);
 * QuantResult r = Quantizer.quantize(model, QuantSettings.int8().withMethod(CalibrationMethod.ENTROPY), calib);
 * r.plan().write(Path.of("plan.json"));
 * }</pre>
 */
public final class Quantizer {

    private Quantizer() {
    }

    /**
     * Quantizes {@code model} (left unchanged). Static int8 needs {@code calibration}; the other modes ignore it.
     *
     * @throws IllegalArgumentException for missing or mismatched calibration data or a model with nothing to
     *                                  quantize, naming what is wrong
     */
    public static QuantResult quantize(Model model, QuantSettings s, TokenRows calibration) {
        if (s.mode() != QuantMode.INT8_STATIC) {
            return WeightOnlyPass.apply(model, s);
        }
        if (calibration == null) {
            throw new IllegalArgumentException("static int8 needs calibration data (--calibration-data FILE: JSON "
                    + "lines like {\"input_ids\":[1,2,3]}); or use --dynamic");
        }
        List<String> notes = new ArrayList<>();
        Model m = upgraded(model, notes);
        CalibrationPlan plan = Calibrator.calibrate(m, s, calibration);
        return withNotes(QdqPass.apply(m, plan, s), notes);
    }

    /** Dynamic int8 or int4 weight-only: no calibration. */
    public static QuantResult quantize(Model model, QuantSettings s) {
        return quantize(model, s, (TokenRows) null);
    }

    /** Static int8 with a plan made earlier (for example read with {@link CalibrationPlan#read}). */
    public static QuantResult applyPlan(Model model, QuantSettings s, CalibrationPlan plan) {
        List<String> notes = new ArrayList<>();
        Model m = upgraded(model, notes);
        return withNotes(QdqPass.apply(m, plan, s), notes);
    }

    private static Model upgraded(Model model, List<String> notes) {
        if (model.opsetVersion("") >= 13) {
            return model;
        }
        PassResult r = new Opset13UpgradePass().run(model);
        if (r.model().opsetVersion("") < 13) {
            throw new IllegalArgumentException("QDQ needs opset ≥ 13 and the model's opset "
                    + model.opsetVersion("") + " cannot be lifted by " + Opset13UpgradePass.NAME);
        }
        notes.add(r.changes().get(0));
        return r.model();
    }

    private static QuantResult withNotes(QuantResult r, List<String> notes) {
        List<String> all = new ArrayList<>(notes);
        all.addAll(r.notes());
        return new QuantResult(r.model(), r.mode(), r.plan(), r.weights(), r.activations(), r.skipped(), all);
    }
}
