package io.chargeline.core.telemetry;

import java.time.Duration;

/** What the ingest path reports; implemented by the metrics adapter. */
public interface IngestMetrics {
    IngestMetrics NONE = new IngestMetrics() {};

    default void received() {}

    default void validated() {}

    default void rejected(RejectReason reason) {}

    default void stored(int records) {}

    default void batchCommitted(int size, Duration latency) {}

    default void commitFailed(int size) {}

    default void overloaded() {}
}
