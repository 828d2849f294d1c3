package io.chargeline.core.alarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.telemetry.JsonTimestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The JSON of notification events, one shape for webhooks and the MQTT alarm topic; times as {@link JsonTimestamps}. */
public final class EventJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventJson() {}

    /** {@code {"id","type","createdAt","data"}}, UTF-8. */
    public static byte[] envelope(String id, String type, Instant createdAt, ObjectNode data) {
        ObjectNode event = JSON.createObjectNode()
                .put("id", id)
                .put("type", type)
                .put("createdAt", JsonTimestamps.format(createdAt));
        event.set("data", data);
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** An alarm as event data: the API's alarm fields, with {@code alarmId} for its id. */
    public static ObjectNode alarm(Alarm a) {
        ObjectNode data = JSON.createObjectNode()
                .put("alarmId", a.id())
                .put("chargerId", a.chargerId())
                .put("type", a.type().name())
                .put("state", a.state().name())
                .put("raisedAt", JsonTimestamps.format(a.raisedAt()));
        data.put("deadline", JsonTimestamps.format(a.deadline()));
        data.put("clearedAt", JsonTimestamps.format(a.clearedAt()));
        data.put("lastTelemetryAt", JsonTimestamps.format(a.lastTelemetryAt()));
        data.put("threshold", a.threshold() == null ? null : a.threshold().toString());
        data.put("ruleId", a.ruleId());
        data.put("detail", a.detail());
        data.put("clearReason", a.clearReason() == null ? null : a.clearReason().name());
        return data;
    }
}
