package io.chargeline.core.telemetry;

/** Result of validating one telemetry message: a record to store, or a reason to refuse it. */
public sealed interface ValidationOutcome {

    record Accepted(TelemetryRecord record) implements ValidationOutcome {}

    record Rejected(RejectReason reason, String detail) implements ValidationOutcome {}
}
