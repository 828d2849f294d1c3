package io.chargeline.tools.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG charts of a benchmark run: throughput over time and the latency distribution, one line per server. */
public final class Plots {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;
    /** The latency axis starts here: a log axis cannot show zero, and nothing on a network is faster. */
    private static final double MIN_MILLIS = 0.01;

    static {
        System.setProperty("java.awt.headless", "true"); // a benchmark runs on servers without a display
    }

    private Plots() {}

    /** Acknowledged messages in each measured second, one line per server. */
    public static void throughput(Path png, String title, Map<String, List<Long>> perSecondByServer) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        perSecondByServer.forEach((server, perSecond) -> {
            XYSeries series = new XYSeries(server);
            for (int s = 0; s < perSecond.size(); s++) {
                series.add(s + 1, perSecond.get(s));
            }
            data.addSeries(series);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, "second of the measured window", "acked msgs/s", data);
        style(chart);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    /**
     * Latency by percentile, HdrHistogram style: the x axis is 1/(1-p) on a log scale, so 90%, 99% and 99.9%
     * are evenly spaced and the tail gets the room it deserves; the y axis (ms) is logarithmic too, because the
     * servers compared may differ by orders of magnitude.
     */
    public static void latency(Path png, String title, Map<String, LatencyStats.Snapshot> byServer) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        byServer.forEach((server, snapshot) -> {
            XYSeries series = new XYSeries(server);
            for (LatencyStats.Point point : snapshot.distribution()) {
                series.add(100.0 / (100.0 - point.percentile()), Math.max(MIN_MILLIS, point.millis()));
            }
            data.addSeries(series);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, "percentile", "latency, ms", data);
        XYPlot plot = chart.getXYPlot();
        LogAxis percentiles = new LogAxis("percentile");
        percentiles.setBase(10);
        percentiles.setTickUnit(new NumberTickUnit(1)); // one tick per decade: 0%, 90%, 99%, 99.9%, ...
        percentiles.setNumberFormatOverride(new PercentileFormat());
        plot.setDomainAxis(percentiles);
        LogAxis millis = new LogAxis("latency, ms");
        millis.setBase(10);
        millis.setSmallestValue(MIN_MILLIS);
        millis.setTickUnit(new NumberTickUnit(1));
        millis.setMinorTickCount(9);
        millis.setMinorTickMarksVisible(true);
        millis.setNumberFormatOverride(new DecimalFormat("0.##"));
        plot.setRangeAxis(millis);
        style(chart);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    private static void style(JFreeChart chart) {
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
            plot.getRenderer().setSeriesStroke(i, new BasicStroke(2f));
        }
    }

    /** Shows an axis value x = 1/(1-p) as the percentile p: 10 → 90%, 1000 → 99.9%. */
    private static final class PercentileFormat extends NumberFormat {
        private final DecimalFormat digits = new DecimalFormat("0.###");

        @Override
        public StringBuffer format(double x, StringBuffer out, FieldPosition pos) {
            return out.append(digits.format(100.0 - 100.0 / x)).append('%');
        }

        @Override
        public StringBuffer format(long x, StringBuffer out, FieldPosition pos) {
            return format((double) x, out, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("display only");
        }
    }
}
