package io.ortune.bench.report;

/**
 * One drawn chart: a PNG image with a title, identified by {@code id} in the page ({@code data-chart} attribute).
 *
 * @param id    a stable identifier, e.g. {@code latency-percentiles}
 * @param title the caption
 * @param png   the PNG bytes
 */
public record Chart(String id, String title, byte[] png) {

    public Chart {
        png = png.clone();
    }

    @Override
    public byte[] png() {
        return png.clone();
    }

    /** The image as a {@code data:} URI. */
    public String dataUri() {
        return "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png);
    }
}
