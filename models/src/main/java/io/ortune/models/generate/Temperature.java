package io.ortune.models.generate;

/**
 * Divides every logit by the temperature (Hugging Face's {@code TemperatureLogitsWarper}): below 1 sharpens the
 * distribution, above 1 flattens it. Only used when sampling; greedy decoding ignores it.
 */
public final class Temperature implements LogitsProcessor {

    private final float temperature;

    /** @param temperature a positive number */
    public Temperature(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a positive finite number, got " + temperature
                    + " (use greedy decoding instead of temperature 0)");
        }
        this.temperature = (float) temperature;
    }

    @Override
    public void apply(int[] ids, int length, float[] logits) {
        for (int i = 0; i < logits.length; i++) {
            logits[i] /= temperature;
        }
    }

    @Override
    public String toString() {
        return "Temperature[" + temperature + "]";
    }
}
