package io.chargeline.core.webhook;

/** What webhook delivery reports; implemented by the metrics adapter. */
public interface WebhookMetrics {
    WebhookMetrics NONE = new WebhookMetrics() {};

    default void delivered() {}

    /** One attempt failed (a retry follows unless the delivery is dead-lettered). */
    default void attemptFailed() {}

    /** Retries ran out (or there were too many pending): the delivery is kept as FAILED. */
    default void deadLettered() {}

    /** The webhook's host is, or resolves to, an address the target policy refuses: failed without a retry. */
    default void refused() {}
}
