package io.chargeline.core;

/**
 * Why a telemetry message was refused. The first six are the reference system's names; the rest are
 * Chargeline's own. Names are part of the wire contract: metrics and dead letters use them verbatim.
 */
public enum RejectReason {
    MissingChargerId,
    MissingTimestamp,
    InvalidChargerIdFormat,
    InvalidTimestampFormat,
    FutureTimestamp,
    InvalidData,
    MalformedJson,
    ChargerIdMismatch,
    PayloadTooLarge,
    InvalidTopic
}
