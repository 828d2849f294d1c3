package io.chargeline.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.telemetry.DeadLetter;
import io.chargeline.core.telemetry.TelemetryStore;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;

/** Operator endpoints: health, Prometheus metrics, dead letters. */
final class OpsRoutes {
    private final Map<String, Supplier<ComponentHealth>> health;
    private final Supplier<String> prometheus;
    private final TelemetryStore store;

    OpsRoutes(Map<String, Supplier<ComponentHealth>> health, Supplier<String> prometheus, TelemetryStore store) {
        this.health = health;
        this.prometheus = prometheus;
        this.store = store;
    }

    /** GET /health: healthy when every component is up, unhealthy (503) when any is down. */
    void health(Context ctx) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode components = Json.MAPPER.createObjectNode();
        ComponentHealth.Status worst = ComponentHealth.Status.up;
        for (var entry : health.entrySet()) {
            ComponentHealth h;
            try {
                h = entry.getValue().get();
            } catch (RuntimeException e) {
                h = new ComponentHealth(ComponentHealth.Status.down, Map.of("error", String.valueOf(e.getMessage())));
            }
            if (h.status().ordinal() > worst.ordinal()) {
                worst = h.status();
            }
            ObjectNode c = components.putObject(entry.getKey()).put("status", h.status().name());
            h.details().forEach((k, v) -> c.set(k, Json.MAPPER.valueToTree(v)));
        }
        String status = switch (worst) {
            case up -> "healthy";
            case degraded -> "degraded";
            case down -> "unhealthy";
        };
        body.put("status", status).set("components", components);
        ctx.status(worst == ComponentHealth.Status.down ? 503 : 200)
                .contentType("application/json")
                .result(Json.bytes(body));
    }

    /** GET /metrics in the Prometheus text format. */
    void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(prometheus.get());
    }

    /** GET /api/v1/dead-letters?limit=: newest first. */
    void deadLetters(Context ctx) {
        QueryParams.cursor(ctx, ListCursor.NOT_PAGED);
        int limit = QueryParams.limit(ctx);
        ctx.contentType("application/json").result(Json.bytes(Json.list(store.recentDeadLetters(limit),
                OpsRoutes::deadLetter, null)));
    }

    private static ObjectNode deadLetter(DeadLetter d) {
        ObjectNode item = Json.MAPPER.createObjectNode()
                .put("receivedAt", Json.time(d.receivedAt()))
                .put("topic", d.topic())
                .put("chargerId", d.clientId())
                .put("reason", d.reason().name())
                .put("detail", d.detail())
                .put("payloadSize", d.payloadSize())
                .put("payloadTruncated", d.payload().length < d.payloadSize());
        String text = utf8(d.payload());
        if (text != null) {
            item.put("payload", text);
        } else {
            item.put("payloadBase64", Base64.getEncoder().encodeToString(d.payload()));
        }
        return item;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
