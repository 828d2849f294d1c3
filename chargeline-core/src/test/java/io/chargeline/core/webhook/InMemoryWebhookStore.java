package io.chargeline.core.webhook;

import io.chargeline.core.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** The webhook store's contract in memory, for dispatcher tests (the RocksDB one has its own tests). */
final class InMemoryWebhookStore implements WebhookStore {
    final Map<String, Webhook> webhooks = new ConcurrentSkipListMap<>();
    final NavigableMap<String, Delivery> deliveries = new ConcurrentSkipListMap<>();

    @Override
    public void saveWebhook(Webhook webhook) {
        webhooks.put(webhook.id(), webhook);
    }

    @Override
    public Optional<Webhook> findWebhook(String id) {
        return Optional.ofNullable(webhooks.get(id));
    }

    @Override
    public List<Webhook> webhooks() {
        return List.copyOf(webhooks.values());
    }

    @Override
    public void deleteWebhook(String id) {
        webhooks.remove(id);
        deliveries.subMap(id + "/", id + "0").clear();
    }

    @Override
    public void saveDelivery(Delivery d) {
        deliveries.put(d.webhookId() + "/" + d.id(), d);
    }

    @Override
    public Optional<Delivery> findDelivery(String webhookId, String deliveryId) {
        return Optional.ofNullable(deliveries.get(webhookId + "/" + deliveryId));
    }

    @Override
    public Page<Delivery> deliveries(String webhookId, int limit, String afterId) {
        List<Delivery> out = new ArrayList<>(deliveries.subMap(webhookId + "/", true, webhookId + "0", false).descendingMap().values());
        return new Page<>(out.subList(0, Math.min(limit, out.size())), null);
    }

    @Override
    public List<Delivery> pending() {
        return deliveries.values().stream().filter(d -> d.state() == DeliveryState.PENDING).toList();
    }

    @Override
    public void trimFinished(String webhookId, int keep) {}
}
