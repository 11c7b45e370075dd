package io.ortune.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a person sees it: headless Chromium renders report.html and the screenshot must show the charts
 * (coloured bars and lines, not a blank or broken-image page). Install Chromium with tools/install-chromium.sh;
 * skipped, saying so, without it.
 */
class ChromiumReportTest {

    @TempDir
    Path dir;

    static String chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }

    @Test
    void chromiumDrawsEveryChartOfTheReport() throws IOException, InterruptedException {
        String exe = chromium();
        Assumptions.assumeTrue(exe != null, "chromium is not installed (run tools/install-chromium.sh)");
        Path html = dir.resolve("report.html");
        Report.Written w = Report.assemble(List.of(ReportTest.benchDir(dir), ReportTest.trainingRun(dir)), html);
        String page = Files.readString(html);
        assertThat(ReportTest.chartIds(page)).hasSize(w.charts());
        assertThat(ReportTest.imageUris(page)).hasSize(w.charts());

        Path png = dir.resolve("shot.png");
        Process p = new ProcessBuilder(exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--window-size=1200,4200", "--screenshot=" + png, html.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        Assumptions.assumeTrue(done && Files.isRegularFile(png), "chromium did not produce a screenshot: "
                + Files.readString(dir.resolve("chromium.log")));
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1200);
        // every chart has series drawn in saturated colours; page text and tables are black and grey
        int[] colouredRows = new int[img.getHeight()];
        long coloured = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (saturated(img.getRGB(x, y))) {
                    colouredRows[y]++;
                    coloured++;
                }
            }
        }
        assertThat(coloured).as("coloured pixels in the screenshot").isGreaterThan(20_000);
        assertThat(bands(colouredRows)).as("separate bands of coloured rows, one or more per chart")
                .isGreaterThanOrEqualTo(w.charts());
    }

    private static boolean saturated(int rgb) {
        int r = (rgb >> 16) & 255;
        int g = (rgb >> 8) & 255;
        int b = rgb & 255;
        return Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80;
    }

    /** Runs of rows with colour, separated by at least 20 rows without. */
    private static int bands(int[] rows) {
        int bands = 0;
        int gap = Integer.MAX_VALUE;
        for (int c : rows) {
            if (c > 0) {
                if (gap >= 20) {
                    bands++;
                }
                gap = 0;
            } else if (gap < Integer.MAX_VALUE) {
                gap++;
            }
        }
        return bands;
    }

}
