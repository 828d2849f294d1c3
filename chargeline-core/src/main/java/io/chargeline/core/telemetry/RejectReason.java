package io.chargeline.core.telemetry;

/**
 * Why a telemetry message was refused. The first five are the reference system's names; the rest are
 * Chargeline's own. Names are part of the wire contract: metrics and dead letters use them verbatim.
 */
public enum RejectReason {
    MissingChargerId,
    MissingTimestamp,
    InvalidChargerIdFormat,
    InvalidTimestampFormat,
    FutureTimestamp,
    /** Before 1970, or older than the retention period: it would expire at once, or cannot be stored. */
    TimestampTooOld,
    InvalidData,
    /** A number in {@code data} that a 64-bit float cannot hold (it would read back as another value). */
    NumberOutOfRange,
    MalformedJson,
    ChargerIdMismatch,
    PayloadTooLarge,
    InvalidTopic,
    /** Valid, but the store could not encode it; kept as a dead letter so the records around it commit. */
    Unstorable
}
