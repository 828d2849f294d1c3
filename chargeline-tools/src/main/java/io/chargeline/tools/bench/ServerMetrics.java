package io.chargeline.tools.bench;

/**
 * Chargeline's own view of a run, from its Prometheus metrics: how many messages each group commit carried
 * and how long a commit took. These say whether the store or the path to it limits throughput.
 */
public record ServerMetrics(double commits, double meanBatchSize, double meanCommitMillis) {

    static ServerMetrics parse(String prometheus) {
        double batches = value(prometheus, "chargeline_ingest_batch_size_count");
        double messages = value(prometheus, "chargeline_ingest_batch_size_sum");
        double seconds = value(prometheus, "chargeline_ingest_batch_latency_seconds_sum");
        double timed = value(prometheus, "chargeline_ingest_batch_latency_seconds_count");
        return new ServerMetrics(batches, batches == 0 ? 0 : messages / batches, timed == 0 ? 0 : seconds * 1000 / timed);
    }

    private static double value(String text, String series) {
        return text.lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .findFirst()
                .orElse(0);
    }
}
