package io.chargeline.core.webhook;

/** PENDING until a 2xx answer (DELIVERED) or until retries run out (FAILED: kept as a dead letter). */
public enum DeliveryState {
    PENDING,
    DELIVERED,
    FAILED
}
