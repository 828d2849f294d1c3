package io.chargeline.core.telemetry;

import java.time.Instant;
import java.util.Objects;

/**
 * A refused message kept with its reason. {@code payload} is the raw bytes as received, possibly cut to
 * {@link #MAX_KEPT_PAYLOAD} bytes (then {@code payloadSize} tells the original size).
 */
public record DeadLetter(
        Instant receivedAt,
        String topic,
        String clientId,
        RejectReason reason,
        String detail,
        byte[] payload,
        int payloadSize) {

    /** Oversized payloads are kept only up to this many bytes, so the dead-letter store stays bounded. */
    public static final int MAX_KEPT_PAYLOAD = 4096;

    public DeadLetter {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(payload, "payload");
    }

    public static DeadLetter of(
            Instant receivedAt, String topic, String clientId, RejectReason reason, String detail, byte[] payload) {
        byte[] kept = payload.length > MAX_KEPT_PAYLOAD ? java.util.Arrays.copyOf(payload, MAX_KEPT_PAYLOAD) : payload;
        return new DeadLetter(receivedAt, topic, clientId, reason, detail, kept, payload.length);
    }
}
