package io.chargeline.core.telemetry;

/** What became of one message once it is durable: stored, or refused and kept as a dead letter. */
public sealed interface IngestResult {
    IngestResult STORED = new Stored();

    record Stored() implements IngestResult {}

    record Refused(RejectReason reason, String detail) implements IngestResult {}
}
