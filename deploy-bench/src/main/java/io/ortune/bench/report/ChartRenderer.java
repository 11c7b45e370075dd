package io.ortune.bench.report;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Draws bar and line charts with JFreeChart into PNGs, headless. */
final class ChartRenderer {

    static final int WIDTH = 860;
    static final int HEIGHT = 420;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ChartRenderer() {
    }

    /** A grouped bar chart: categories on the x axis, one bar per series. */
    static Chart bars(String id, String title, String xLabel, String yLabel, DefaultCategoryDataset data) {
        JFreeChart c = ChartFactory.createBarChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false,
                false);
        CategoryPlot p = c.getCategoryPlot();
        style(c);
        p.setRangeGridlinePaint(Color.GRAY);
        return png(id, title, c);
    }

    /** A line chart with markers; {@code integerX} ticks the x axis at whole numbers (batch sizes, lengths). */
    static Chart lines(String id, String title, String xLabel, String yLabel, XYSeriesCollection data, boolean integerX) {
        JFreeChart c = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
                false, false);
        XYPlot p = c.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        p.setRenderer(r);
        if (integerX) {
            NumberAxis axis = new NumberAxis(xLabel);
            axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            axis.setAutoRangeIncludesZero(false);
            p.setDomainAxis(axis);
        }
        style(c);
        p.setDomainGridlinePaint(Color.GRAY);
        p.setRangeGridlinePaint(Color.GRAY);
        return png(id, title, c);
    }

    private static void style(JFreeChart c) {
        c.setBackgroundPaint(Color.WHITE);
        c.getPlot().setBackgroundPaint(new Color(250, 250, 250));
    }

    private static Chart png(String id, String title, JFreeChart c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, c, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("drawing chart '" + title + "'", e);
        }
        return new Chart(id, title, out.toByteArray());
    }
}
