package io.chargeline.core.telemetry;

import java.time.Duration;

/** What the query API reports; implemented by the metrics adapter. */
public interface QueryMetrics {
    QueryMetrics NONE = (kind, duration) -> {};

    /** The store reads the telemetry API times. */
    enum QueryKind {
        LATEST, COUNT, HISTORY, AGGREGATE, FLEET_AGGREGATE
    }

    /** One store read of {@code kind} took {@code duration}. */
    void queryDuration(QueryKind kind, Duration duration);
}
