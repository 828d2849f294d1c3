package io.chargeline.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.NotFoundException;
import io.chargeline.core.Page;
import io.chargeline.core.alarm.Alarm;
import io.chargeline.core.alarm.AlarmBook;
import io.chargeline.core.alarm.AlarmQuery;
import io.chargeline.core.alarm.AlarmState;
import io.chargeline.core.alarm.AlarmType;
import io.chargeline.core.device.ChargerIds;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Set;

/** Alarms: list with filters, one, acknowledge. */
final class AlarmRoutes {
    private final AlarmBook alarms;

    AlarmRoutes(AlarmBook alarms) {
        this.alarms = alarms;
    }

    /** GET /api/v1/alarms?state=active|cleared|all&chargerId=&type=&limit=&cursor= */
    void list(Context ctx) {
        AlarmState state = state(ctx.queryParam("state"));
        String chargerId = ctx.queryParam("chargerId");
        if (chargerId != null) {
            ChargerIds.require(chargerId);
        }
        AlarmType type = type(ctx.queryParam("type"));
        Page<Alarm> page = alarms.list(new AlarmQuery(state, chargerId, type,
                QueryParams.limit(ctx), QueryParams.cursor(ctx, ListCursor.ALARMS)));
        ctx.contentType("application/json").result(Json.bytes(Json.page(page, AlarmRoutes::alarm,
                ListCursor.ALARMS)));
    }

    /** GET /api/v1/alarms/{alarmId} */
    void get(Context ctx) {
        ctx.contentType("application/json").result(Json.bytes(alarm(find(ctx))));
    }

    /** POST /api/v1/alarms/{alarmId}/ack with an optional body {"by": "who"} */
    void acknowledge(Context ctx) {
        String by = "admin";
        byte[] raw = ctx.bodyAsBytes();
        if (raw.length > 0) {
            JsonNode body = Json.object(raw, Set.of("by"));
            String named = Json.text(body, "by");
            if (named != null) {
                if (named.isBlank() || named.length() > 100) {
                    throw new InvalidRequestException("by must be 1 to 100 characters");
                }
                by = named;
            }
        }
        String id = find(ctx).id();
        ctx.contentType("application/json").result(Json.bytes(alarm(alarms.acknowledge(id, by))));
    }

    private Alarm find(Context ctx) {
        String id = QueryParams.timeOrderedId(ctx, "alarmId", "alarm");
        return alarms.find(id).orElseThrow(() -> new NotFoundException("no alarm " + id));
    }

    private static AlarmState state(String raw) {
        if (raw == null || raw.equals("all")) {
            return null;
        }
        return switch (raw) {
            case "active" -> AlarmState.ACTIVE;
            case "cleared" -> AlarmState.CLEARED;
            default -> throw new InvalidRequestException("state must be active, cleared or all");
        };
    }

    private static AlarmType type(String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return AlarmType.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("type must be SILENT or THRESHOLD");
        }
    }

    static ObjectNode alarm(Alarm a) {
        ObjectNode out = Json.MAPPER.createObjectNode()
                .put("id", a.id())
                .put("chargerId", a.chargerId())
                .put("type", a.type().name())
                .put("state", a.state().name())
                .put("raisedAt", Json.time(a.raisedAt()))
                .put("deadline", Json.time(a.deadline()))
                .put("clearedAt", Json.time(a.clearedAt()))
                .put("acknowledged", a.acknowledgedAt() != null)
                .put("acknowledgedAt", Json.time(a.acknowledgedAt()))
                .put("acknowledgedBy", a.acknowledgedBy())
                .put("lastTelemetryAt", Json.time(a.lastTelemetryAt()));
        out.put("threshold", a.threshold() == null ? null : a.threshold().toString());
        out.put("ruleId", a.ruleId());
        out.put("detail", a.detail());
        out.put("clearReason", a.clearReason() == null ? null : a.clearReason().name());
        return out;
    }
}
