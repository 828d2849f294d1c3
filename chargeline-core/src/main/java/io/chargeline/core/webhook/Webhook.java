package io.chargeline.core.webhook;

import java.net.URI;
import java.time.Instant;
import java.util.Set;

/** A registered receiver. The secret signs every delivery; it is never returned by the API or logged. */
public record Webhook(String id, URI url, String secret, Set<WebhookEventType> events, Instant createdAt) {
    public Webhook {
        events = Set.copyOf(events);
    }

    public boolean wants(WebhookEventType type) {
        return events.contains(type);
    }

    @Override
    public String toString() {
        return "Webhook[id=" + id + ", url=" + url + ", events=" + events + ", secret=(masked)]";
    }
}
