package io.chargeline.store.rocksdb;

import io.chargeline.core.Page;
import io.chargeline.core.webhook.Delivery;
import io.chargeline.core.webhook.DeliveryState;
import io.chargeline.core.webhook.Webhook;
import io.chargeline.core.webhook.WebhookStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Webhooks by id in {@code webhooks}; deliveries in {@code webhook-deliveries} keyed {@code webhookId/deliveryId}
 * (ids are time-ordered, so one webhook's history is one key range, newest last).
 */
final class RocksDbWebhookStore implements WebhookStore {
    private final RocksDB db;
    private final ColumnFamilyHandle webhooks;
    private final ColumnFamilyHandle deliveries;
    private final WriteOptions syncWrites;

    RocksDbWebhookStore(RocksDB db, ColumnFamilyHandle webhooks, ColumnFamilyHandle deliveries, WriteOptions syncWrites) {
        this.db = db;
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.syncWrites = syncWrites;
    }

    @Override
    public void saveWebhook(Webhook webhook) {
        RocksCalls.write("webhook write", () -> db.put(webhooks, syncWrites, bytes(webhook.id()), WebhookCodec.encode(webhook)));
    }

    @Override
    public Optional<Webhook> findWebhook(String id) {
        byte[] value = RocksCalls.read("webhook read", () -> db.get(webhooks, bytes(id)));
        return value == null ? Optional.empty() : Optional.of(WebhookCodec.decodeWebhook(value));
    }

    @Override
    public List<Webhook> webhooks() {
        List<Webhook> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(webhooks)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(WebhookCodec.decodeWebhook(it.value()));
            }
        }
        return out;
    }

    @Override
    public void deleteWebhook(String id) {
        RocksCalls.write("webhook delete", () -> {
            try (WriteBatch batch = new WriteBatch()) {
                batch.delete(webhooks, bytes(id));
                batch.deleteRange(deliveries, bytes(id + "/"), bytes(id + "0")); // '0' sorts right after '/'
                db.write(syncWrites, batch);
            }
        });
    }

    @Override
    public void saveDelivery(Delivery d) {
        RocksCalls.write("delivery write",
                () -> db.put(deliveries, syncWrites, key(d.webhookId(), d.id()), WebhookCodec.encode(d)));
    }

    @Override
    public Optional<Delivery> findDelivery(String webhookId, String deliveryId) {
        byte[] value = RocksCalls.read("delivery read", () -> db.get(deliveries, key(webhookId, deliveryId)));
        return value == null ? Optional.empty() : Optional.of(WebhookCodec.decodeDelivery(value));
    }

    @Override
    public Page<Delivery> deliveries(String webhookId, int limit, String afterId) {
        byte[] prefix = bytes(webhookId + "/");
        List<Delivery> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(deliveries)) {
            if (afterId == null) {
                it.seekForPrev(bytes(webhookId + "0"));
            } else {
                it.seekForPrev(key(webhookId, afterId));
                if (it.isValid() && java.util.Arrays.equals(it.key(), key(webhookId, afterId))) {
                    it.prev();
                }
            }
            for (; it.isValid() && startsWith(it.key(), prefix) && out.size() < limit; it.prev()) {
                out.add(WebhookCodec.decodeDelivery(it.value()));
            }
            boolean more = out.size() == limit && it.isValid() && startsWith(it.key(), prefix);
            return new Page<>(out, more ? out.get(out.size() - 1).id() : null);
        }
    }

    @Override
    public List<Delivery> pending() {
        List<Delivery> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(deliveries)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                Delivery d = WebhookCodec.decodeDelivery(it.value());
                if (d.state() == DeliveryState.PENDING) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    @Override
    public void trimFinished(String webhookId, int keep) {
        byte[] prefix = bytes(webhookId + "/");
        List<byte[]> finished = new ArrayList<>();
        try (RocksIterator it = db.newIterator(deliveries)) {
            for (it.seekForPrev(bytes(webhookId + "0")); it.isValid() && startsWith(it.key(), prefix); it.prev()) {
                if (WebhookCodec.decodeDelivery(it.value()).state() != DeliveryState.PENDING) {
                    finished.add(it.key());
                }
            }
        }
        if (finished.size() <= keep) {
            return;
        }
        RocksCalls.write("delivery trim", () -> {
            try (WriteBatch batch = new WriteBatch()) {
                for (byte[] k : finished.subList(keep, finished.size())) {
                    batch.delete(deliveries, k);
                }
                db.write(syncWrites, batch);
            }
        });
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] key(String webhookId, String deliveryId) {
        return bytes(webhookId + "/" + deliveryId);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
