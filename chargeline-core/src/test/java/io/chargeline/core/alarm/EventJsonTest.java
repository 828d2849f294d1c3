package io.chargeline.core.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    private static final Instant NANOS = Instant.parse("2026-12-01T22:18:49.695952273Z");

    @Test
    void everyTimestampOfAnAlarmEvent_hasExactlyMilliseconds() throws Exception {
        Alarm alarm = Alarm.silent("00000000000a0000", "CH-1", NANOS, NANOS.minusNanos(1_500_000),
                NANOS.minusSeconds(300), Duration.ofMinutes(5)).cleared(NANOS.plusNanos(123_456_789), ClearReason.TELEMETRY_RESUMED);

        JsonNode event = new ObjectMapper().readTree(EventJson.envelope("e-1", "alarm.cleared", NANOS,
                EventJson.alarm(alarm)));

        assertThat(event.get("createdAt").asText()).isEqualTo("2026-12-01T22:18:49.695Z");
        assertThat(event.at("/data/raisedAt").asText()).isEqualTo("2026-12-01T22:18:49.695Z");
        assertThat(event.at("/data/deadline").asText()).isEqualTo("2026-12-01T22:18:49.694Z");
        assertThat(event.at("/data/lastTelemetryAt").asText()).isEqualTo("2026-12-01T22:13:49.695Z");
        assertThat(event.at("/data/clearedAt").asText()).isEqualTo("2026-12-01T22:18:49.819Z");
        assertThat(event.at("/data/threshold").asText()).isEqualTo("PT5M");
        assertThat(event.at("/data/clearReason").asText()).isEqualTo("TELEMETRY_RESUMED");
    }

    @Test
    void absentTimestamps_areNull() throws Exception {
        Alarm active = Alarm.silent("00000000000a0000", "CH-1", NANOS, NANOS, null, Duration.ofMinutes(5));

        JsonNode data = EventJson.alarm(active);

        assertThat(data.get("clearedAt").isNull()).isTrue();
        assertThat(data.get("lastTelemetryAt").isNull()).isTrue();
        assertThat(data.get("clearReason").isNull()).isTrue();
    }
}
