package io.chargeline.core;

/**
 * Told of every valid telemetry record the pipeline took in, at once (before the commit), on the thread that
 * submitted it; must be cheap.
 */
public interface TelemetryArrivals {
    TelemetryArrivals NONE = record -> {};

    void received(TelemetryRecord record);
}
