package io.chargeline.core.webhook;

import io.chargeline.core.Page;
import java.util.List;
import java.util.Optional;

/** Durable home of webhooks and their deliveries. Thread-safe; every write is durable when it returns. */
public interface WebhookStore {
    void saveWebhook(Webhook webhook);

    Optional<Webhook> findWebhook(String id);

    List<Webhook> webhooks();

    /** Removes the webhook and its delivery history. */
    void deleteWebhook(String id);

    void saveDelivery(Delivery delivery);

    Optional<Delivery> findDelivery(String webhookId, String deliveryId);

    /** Newest first; {@code afterId} is the cursor. */
    Page<Delivery> deliveries(String webhookId, int limit, String afterId);

    /** Every delivery still PENDING, for resuming after a restart. */
    List<Delivery> pending();

    /** Deletes a webhook's oldest finished deliveries beyond {@code keep}. */
    void trimFinished(String webhookId, int keep);
}
