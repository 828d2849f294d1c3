package io.chargeline.core;

import java.time.Instant;

/** Told of every valid telemetry message the pipeline took in, at once (before the commit); must be cheap. */
public interface TelemetryArrivals {
    TelemetryArrivals NONE = (chargerId, receivedAt) -> {};

    void received(String chargerId, Instant receivedAt);
}
