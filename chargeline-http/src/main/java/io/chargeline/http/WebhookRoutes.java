package io.chargeline.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.Page;
import io.chargeline.core.webhook.Delivery;
import io.chargeline.core.webhook.Webhook;
import io.chargeline.core.webhook.WebhookEventType;
import io.chargeline.core.webhook.WebhookRegistry;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Webhooks: register, list, one, delete, delivery history. The secret is accepted, never returned. */
final class WebhookRoutes {
    private final WebhookRegistry webhooks;

    WebhookRoutes(WebhookRegistry webhooks) {
        this.webhooks = webhooks;
    }

    /** POST /api/v1/webhooks {"url","secret","events":[...]} */
    void create(Context ctx) {
        JsonNode body = Json.object(ctx.bodyAsBytes(), Set.of("url", "secret", "events"));
        JsonNode events = body.get("events");
        if (events != null && !events.isArray()) {
            throw new InvalidRequestException("events must be an array of event names");
        }
        List<String> names = new ArrayList<>();
        if (events != null) {
            for (JsonNode e : events) {
                if (!e.isTextual()) {
                    throw new InvalidRequestException("events must be an array of event names");
                }
                names.add(e.asText());
            }
        }
        Webhook w = webhooks.register(Json.text(body, "url"), Json.text(body, "secret"), names);
        ctx.status(201).header("Location", "/api/v1/webhooks/" + w.id())
                .contentType("application/json").result(Json.bytes(webhook(w)));
    }

    /** GET /api/v1/webhooks?limit=&cursor=, oldest first */
    void list(Context ctx) {
        Page<Webhook> page = webhooks.list(QueryParams.cursor(ctx, ListCursor.WEBHOOKS), QueryParams.limit(ctx));
        ctx.contentType("application/json").result(Json.bytes(Json.page(page, WebhookRoutes::webhook,
                ListCursor.WEBHOOKS)));
    }

    /** GET /api/v1/webhooks/{webhookId} */
    void get(Context ctx) {
        ctx.contentType("application/json").result(Json.bytes(webhook(webhooks.get(id(ctx)))));
    }

    /** DELETE /api/v1/webhooks/{webhookId} */
    void delete(Context ctx) {
        webhooks.delete(id(ctx));
        ctx.status(204);
    }

    /** GET /api/v1/webhooks/{webhookId}/deliveries?limit=&cursor= */
    void deliveries(Context ctx) {
        Page<Delivery> page = webhooks.deliveries(id(ctx), QueryParams.limit(ctx),
                QueryParams.cursor(ctx, ListCursor.DELIVERIES));
        ctx.contentType("application/json").result(Json.bytes(Json.page(page, WebhookRoutes::delivery,
                ListCursor.DELIVERIES)));
    }

    private static ObjectNode delivery(Delivery d) {
        ObjectNode item = Json.MAPPER.createObjectNode()
                .put("id", d.id())
                .put("event", d.event().wire())
                .put("state", d.state().name())
                .put("createdAt", Json.time(d.createdAt()))
                .put("attempts", d.attempts())
                .put("nextAttemptAt", Json.time(d.nextAttemptAt()))
                .put("lastStatus", d.lastStatus() == 0 ? null : d.lastStatus())
                .put("lastError", d.lastError())
                .put("finishedAt", Json.time(d.finishedAt()));
        item.putRawValue("payload", new RawValue(new String(d.body(), StandardCharsets.UTF_8))); // our own JSON
        return item;
    }

    private static String id(Context ctx) {
        return QueryParams.timeOrderedId(ctx, "webhookId", "webhook");
    }

    private static ObjectNode webhook(Webhook w) {
        ObjectNode out = Json.MAPPER.createObjectNode()
                .put("id", w.id())
                .put("url", w.url().toString())
                .put("createdAt", Json.time(w.createdAt()));
        ArrayNode events = out.putArray("events");
        for (WebhookEventType t : WebhookEventType.values()) {
            if (w.wants(t)) {
                events.add(t.wire());
            }
        }
        out.put("secret", "(set; never shown)");
        return out;
    }
}
