package io.chargeline.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.Page;
import io.chargeline.core.alarm.ChargerDirectory;
import io.chargeline.core.alarm.ChargerDirectory.ChargerView;
import io.chargeline.core.alarm.ChargerStatus;
import io.chargeline.core.alarm.SilenceDetector;
import io.chargeline.core.device.ChargerIds;
import io.chargeline.core.presence.Presence;
import io.chargeline.core.presence.PresenceLog;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Chargers with their status, and each charger's alarm settings. */
final class ChargerRoutes {
    private static final Duration MIN_THRESHOLD = Duration.ofSeconds(1);
    private static final Duration MAX_THRESHOLD = Duration.ofDays(30);

    private final ChargerDirectory chargers;
    private final SilenceDetector silence;

    ChargerRoutes(ChargerDirectory chargers, SilenceDetector silence) {
        this.chargers = chargers;
        this.silence = silence;
    }

    /** GET /api/v1/chargers?status=online|offline|silent|never_seen&limit=&cursor= */
    void list(Context ctx) {
        ChargerStatus status = status(ctx.queryParam("status"));
        Page<ChargerView> page = chargers.list(status, QueryParams.cursor(ctx, ListCursor.CHARGERS),
                QueryParams.limit(ctx));
        ctx.contentType("application/json").result(Json.bytes(Json.page(page, ChargerRoutes::charger,
                ListCursor.CHARGERS)));
    }

    /** GET /api/v1/chargers/{chargerId} */
    void get(Context ctx) {
        ChargerView view = chargers.get(ChargerIds.require(ctx.pathParam("chargerId")));
        ctx.contentType("application/json").result(Json.bytes(charger(view)));
    }

    /** GET /api/v1/chargers/{chargerId}/presence?limit=: connects and disconnects, newest first. */
    void presence(Context ctx) {
        String chargerId = chargers.get(ChargerIds.require(ctx.pathParam("chargerId"))).chargerId();
        QueryParams.cursor(ctx, ListCursor.NOT_PAGED);
        int limit = Math.min(QueryParams.limit(ctx), PresenceLog.KEPT_PER_CHARGER);
        ctx.contentType("application/json").result(Json.bytes(Json.list(chargers.presenceHistory(chargerId, limit),
                ChargerRoutes::presenceEvent, null)));
    }

    private static ObjectNode presenceEvent(Presence.Event e) {
        ObjectNode item = Json.MAPPER.createObjectNode()
                .put("event", e.connected() ? "connected" : "disconnected")
                .put("at", Json.time(e.at()));
        if (e.reason() != null) {
            item.put("reason", e.reason().name());
        }
        return item;
    }

    /** GET /api/v1/chargers/{chargerId}/settings: the effective settings. */
    void settings(Context ctx) {
        ChargerView view = chargers.get(ChargerIds.require(ctx.pathParam("chargerId")));
        ctx.contentType("application/json").result(Json.bytes(settings(view)));
    }

    /** PUT /api/v1/chargers/{chargerId}/settings {"silenceThreshold":"PT2M"}; null returns to the default. */
    void putSettings(Context ctx) {
        String chargerId = chargers.get(ChargerIds.require(ctx.pathParam("chargerId"))).chargerId();
        JsonNode body = Json.object(ctx.bodyAsBytes(), Set.of("silenceThreshold"));
        if (!body.has("silenceThreshold")) {
            throw new InvalidRequestException("silenceThreshold is required (an ISO-8601 duration, or null for the default)");
        }
        JsonNode value = body.get("silenceThreshold");
        silence.setThreshold(chargerId, value.isNull() ? null : threshold(value));
        ctx.contentType("application/json").result(Json.bytes(settings(chargers.get(chargerId))));
    }

    private static Duration threshold(JsonNode value) {
        if (!value.isTextual()) {
            throw new InvalidRequestException("silenceThreshold must be an ISO-8601 duration such as PT2M, or null");
        }
        Duration d;
        try {
            d = Duration.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("silenceThreshold must be an ISO-8601 duration such as PT2M, was "
                    + value.asText());
        }
        if (d.compareTo(MIN_THRESHOLD) < 0 || d.compareTo(MAX_THRESHOLD) > 0) {
            throw new InvalidRequestException("silenceThreshold must be between PT1S and P30D");
        }
        return d;
    }

    private static ChargerStatus status(String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return ChargerStatus.valueOf(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("status must be online, offline, silent or never_seen");
        }
    }

    private static ObjectNode settings(ChargerView c) {
        return Json.MAPPER.createObjectNode()
                .put("chargerId", c.chargerId())
                .put("silenceThreshold", c.silenceThreshold().toString())
                .put("silenceThresholdSource", c.silenceThresholdOverridden() ? "charger" : "default");
    }

    private static ObjectNode charger(ChargerView c) {
        ObjectNode out = Json.MAPPER.createObjectNode()
                .put("chargerId", c.chargerId())
                .put("status", c.status().name())
                .put("revoked", c.revoked())
                .put("lastSeen", Json.time(c.lastSeen()))
                .put("activeAlarms", c.activeAlarms())
                .put("silenceThreshold", c.silenceThreshold().toString());
        c.lastConnection().ifPresent(e -> {
            ObjectNode connection = out.putObject("lastConnection")
                    .put("event", e.connected() ? "connected" : "disconnected")
                    .put("at", Json.time(e.at()));
            if (e.reason() != null) {
                connection.put("reason", e.reason().name());
            }
        });
        return out;
    }
}
