package io.chargeline.core.telemetry;

/**
 * Told of every committed change to telemetry, in commit order, on the ingest writer thread after the commit's
 * acknowledgements went out (a record that was refused or never became durable is never told). Must be cheap and
 * must not block: {@link ChangeFeed} hands each change to every subscriber this way.
 */
public interface TelemetryChanges {
    TelemetryChanges NONE = change -> {};

    void changed(TelemetryChange change);
}
