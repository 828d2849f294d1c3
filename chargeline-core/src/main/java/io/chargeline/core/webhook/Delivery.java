package io.chargeline.core.webhook;

import java.time.Instant;

/**
 * One event on its way to one webhook, with its attempts so far.
 *
 * @param body the exact bytes sent (and signed) on every attempt
 * @param lastStatus the HTTP status of the last attempt, or 0 when it got no answer
 */
public record Delivery(
        String id,
        String webhookId,
        WebhookEventType event,
        byte[] body,
        Instant createdAt,
        int attempts,
        Instant nextAttemptAt,
        DeliveryState state,
        int lastStatus,
        String lastError,
        Instant finishedAt) {

    static Delivery pending(String id, String webhookId, WebhookEventType event, byte[] body, Instant now) {
        return new Delivery(id, webhookId, event, body, now, 0, now, DeliveryState.PENDING, 0, null, null);
    }

    Delivery delivered(int status, Instant at) {
        return new Delivery(id, webhookId, event, body, createdAt, attempts + 1, null, DeliveryState.DELIVERED, status,
                null, at);
    }

    Delivery retryAt(Instant next, int status, String error) {
        return new Delivery(id, webhookId, event, body, createdAt, attempts + 1, next, DeliveryState.PENDING, status,
                error, null);
    }

    Delivery failed(int status, String error, Instant at, boolean attempted) {
        return new Delivery(id, webhookId, event, body, createdAt, attempts + (attempted ? 1 : 0), null,
                DeliveryState.FAILED, status, error, at);
    }
}
