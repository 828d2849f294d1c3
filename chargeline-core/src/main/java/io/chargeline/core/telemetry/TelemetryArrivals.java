package io.chargeline.core.telemetry;

/**
 * Told of every telemetry record once it is stored, on the ingest writer thread after its commit (a record that
 * was refused or never became durable is never told); must be cheap.
 */
public interface TelemetryArrivals {
    TelemetryArrivals NONE = record -> {};

    void received(TelemetryRecord record);
}
