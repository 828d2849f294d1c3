package io.chargeline.tools.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Publish→acknowledgement latencies, recorded concurrently, in microseconds up to one minute. */
public final class LatencyStats {
    private static final long MAX_MICROS = 60_000_000L;
    /** Where the distribution is sampled: dense in the tail, where brokers differ. */
    private static final double[] DISTRIBUTION_PERCENTILES =
            {1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999};

    private final Recorder recorder = new Recorder(MAX_MICROS, 3);
    private final Histogram total = new Histogram(MAX_MICROS, 3);

    public void recordNanos(long nanos) {
        recorder.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1_000)));
    }

    /** Everything recorded so far (safe to call while recording goes on). */
    public synchronized Snapshot snapshot() {
        total.add(recorder.getIntervalHistogram());
        List<Point> distribution = new ArrayList<>();
        if (total.getTotalCount() > 0) {
            for (double p : DISTRIBUTION_PERCENTILES) {
                distribution.add(new Point(p, millis(p)));
            }
        }
        return new Snapshot(total.getTotalCount(), millis(50), millis(99), millis(99.9), total.getMaxValue() / 1000.0,
                List.copyOf(distribution));
    }

    private double millis(double percentile) {
        return total.getTotalCount() == 0 ? 0 : total.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Latency figures in milliseconds; {@code distribution} is empty when nothing was recorded. */
    public record Snapshot(long count, double p50, double p99, double p999, double max, List<Point> distribution) {}

    /** The latency at one percentile, in milliseconds. */
    public record Point(double percentile, double millis) {}
}
