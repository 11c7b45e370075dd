package io.ortune.export.quant;

import java.util.List;

/**
 * A quantized model and what was done to it.
 *
 * @param model       the quantized model (the input is left unchanged)
 * @param mode        what was made
 * @param plan        the calibration plan applied (static int8), else null
 * @param weights     quantized linear layers, by module path
 * @param activations quantized activations (static int8), by tensor name
 * @param skipped     candidates left float, with reasons
 * @param notes       other changes (an opset upgrade, a domain import)
 */
public record QuantResult(io.ortune.graph.ir.Model model, QuantMode mode, CalibrationPlan plan, List<String> weights,
                          List<String> activations, List<Skipped> skipped, List<String> notes) {

    public QuantResult {
        weights = List.copyOf(weights);
        activations = List.copyOf(activations);
        skipped = List.copyOf(skipped);
        notes = List.copyOf(notes);
    }

    /** One line: {@code int8_static: 14 weights, 29 activations, 1 skipped}. */
    public String summary() {
        return mode.name().toLowerCase(java.util.Locale.ROOT) + ": " + weights.size() + " weights"
                + (mode == QuantMode.INT8_STATIC ? ", " + activations.size() + " activations" : "") + ", "
                + skipped.size() + " skipped";
    }
}
