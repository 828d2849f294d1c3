package io.chargeline.core;

import java.time.Duration;

/** What the query API reports; implemented by the metrics adapter. */
public interface QueryMetrics {
    QueryMetrics NONE = (kind, duration) -> {};

    /** One store read of {@code kind} (latest, history) took {@code duration}. */
    void queryDuration(String kind, Duration duration);
}
