package io.chargeline.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.chargeline.core.Page;
import io.chargeline.core.webhook.Delivery;
import io.chargeline.core.webhook.DeliveryState;
import io.chargeline.core.webhook.Webhook;
import io.chargeline.core.webhook.WebhookEventType;
import io.chargeline.core.webhook.WebhookStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RocksDbWebhookStoreTest extends StorageFixture {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void webhooksAndDeliveries_roundTrip_andSurviveReopen() {
        Webhook hook = webhook("00000000000a0000");
        Delivery pending = delivery(hook.id(), 1, DeliveryState.PENDING);
        storage.webhooks().saveWebhook(hook);
        storage.webhooks().saveDelivery(pending);

        reopen();

        assertThat(storage.webhooks().webhooks()).singleElement().satisfies(w -> {
            assertThat(w.id()).isEqualTo(hook.id());
            assertThat(w.url()).isEqualTo(hook.url());
            assertThat(w.secret()).isEqualTo(hook.secret());
            assertThat(w.events()).isEqualTo(hook.events());
        });
        Delivery back = storage.webhooks().findDelivery(hook.id(), pending.id()).orElseThrow();
        assertThat(back.body()).isEqualTo(pending.body());
        assertThat(back).usingRecursiveComparison().ignoringFields("body").isEqualTo(pending);
        assertThat(storage.webhooks().pending()).extracting(Delivery::id).containsExactly(pending.id());
    }

    @Test
    void deliveries_areListedNewestFirst_perWebhook_andPaged() {
        WebhookStore store = storage.webhooks();
        for (int i = 0; i < 7; i++) {
            store.saveDelivery(delivery("00000000000a0000", i, DeliveryState.DELIVERED));
            store.saveDelivery(delivery("00000000000b0000", i, DeliveryState.DELIVERED));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<Delivery> page = store.deliveries("00000000000a0000", 3, cursor);
            page.items().forEach(d -> {
                assertThat(d.webhookId()).isEqualTo("00000000000a0000");
                seen.add(d.id());
            });
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(seen).containsExactly(id(6), id(5), id(4), id(3), id(2), id(1), id(0));
    }

    @Test
    void trim_keepsTheNewestFinished_andEveryPendingOne() {
        WebhookStore store = storage.webhooks();
        for (int i = 0; i < 10; i++) {
            store.saveDelivery(delivery("00000000000a0000", i, i == 0 ? DeliveryState.PENDING : DeliveryState.DELIVERED));
        }

        store.trimFinished("00000000000a0000", 3);

        assertThat(store.deliveries("00000000000a0000", 100, null).items()).extracting(Delivery::id)
                .containsExactly(id(9), id(8), id(7), id(0));
    }

    @Test
    void deletingAWebhook_removesItsDeliveries_only() {
        WebhookStore store = storage.webhooks();
        store.saveWebhook(webhook("00000000000a0000"));
        store.saveWebhook(webhook("00000000000b0000"));
        store.saveDelivery(delivery("00000000000a0000", 1, DeliveryState.PENDING));
        store.saveDelivery(delivery("00000000000b0000", 1, DeliveryState.PENDING));

        store.deleteWebhook("00000000000a0000");

        assertThat(store.webhooks()).extracting(Webhook::id).containsExactly("00000000000b0000");
        assertThat(store.pending()).extracting(Delivery::webhookId).containsExactly("00000000000b0000");
    }

    private static Webhook webhook(String id) {
        return new Webhook(id, URI.create("https://ops.example/hook?x=1"), "s3cret-s3cret-s3cret",
                EnumSet.of(WebhookEventType.ALARM_RAISED, WebhookEventType.CHARGER_OFFLINE), T0);
    }

    private static Delivery delivery(String webhookId, int i, DeliveryState state) {
        boolean finished = state != DeliveryState.PENDING;
        return new Delivery(id(i), webhookId, WebhookEventType.ALARM_RAISED,
                ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), T0.plusSeconds(i), 2,
                finished ? null : T0.plusSeconds(60), state, 500, finished ? null : "HTTP 500",
                finished ? T0.plusSeconds(90) : null);
    }

    private static String id(int i) {
        return String.format("%012x%04x", T0.toEpochMilli(), i);
    }
}
