package io.chargeline.tools.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * Chargeline's own view of the measured window, from two scrapes of its Prometheus metrics: how many messages
 * each group commit carried, how long a commit took, and how long the server held PUBACKs (from the interceptor
 * taking a PUBLISH to releasing its acknowledgement). Set beside the generator's publish-to-PUBACK latency, the
 * last one says whether time goes inside the server's pipeline or in front of it (socket, TLS, broker queues,
 * or the generator itself).
 *
 * @param pubackP50Millis upper bound of the histogram bucket holding the median; -1 when nothing was timed
 * @param pubackP99Millis likewise for the 99th percentile
 */
public record ServerMetrics(double commits, double meanBatchSize, double meanCommitMillis, double pubackP50Millis,
        double pubackP99Millis) {
    private static final String PUBACK_BUCKET = "chargeline_puback_latency_seconds_bucket{le=\"";

    /** The window between two scrapes of {@code /metrics}; an empty {@code before} means since the start. */
    static ServerMetrics between(String before, String after) {
        double batches = delta(before, after, "chargeline_ingest_batch_size_count");
        double messages = delta(before, after, "chargeline_ingest_batch_size_sum");
        double seconds = delta(before, after, "chargeline_ingest_batch_latency_seconds_sum");
        double timed = delta(before, after, "chargeline_ingest_batch_latency_seconds_count");
        TreeMap<Double, Double> buckets = new TreeMap<>();
        Map<Double, Double> start = buckets(before);
        buckets(after).forEach((le, count) -> buckets.put(le, count - start.getOrDefault(le, 0.0)));
        return new ServerMetrics(batches, batches == 0 ? 0 : messages / batches,
                timed == 0 ? 0 : seconds * 1000 / timed, quantileMillis(buckets, 0.50), quantileMillis(buckets, 0.99));
    }

    /** Cumulative bucket counts by upper bound in seconds ({@code +Inf} as infinity). */
    private static Map<Double, Double> buckets(String text) {
        Map<Double, Double> out = new TreeMap<>();
        text.lines().filter(l -> l.startsWith(PUBACK_BUCKET)).forEach(l -> {
            int close = l.indexOf('"', PUBACK_BUCKET.length());
            String le = l.substring(PUBACK_BUCKET.length(), close);
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            out.put(bound, Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)));
        });
        return out;
    }

    private static double quantileMillis(TreeMap<Double, Double> cumulative, double q) {
        if (cumulative.isEmpty() || cumulative.lastEntry().getValue() <= 0) {
            return -1;
        }
        double wanted = q * cumulative.lastEntry().getValue();
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= wanted) {
                return bucket.getKey() * 1000;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private static double delta(String before, String after, String series) {
        return value(after, series) - value(before, series);
    }

    private static double value(String text, String series) {
        return text.lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .findFirst()
                .orElse(0);
    }
}
