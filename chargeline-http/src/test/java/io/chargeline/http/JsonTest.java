package io.chargeline.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chargeline.core.telemetry.TelemetryRecord;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void telemetry_writesItsTimesWithExactlyMilliseconds_andTheRecordTimestampWithTheDigitsSent() {
        Instant received = Instant.parse("2026-12-01T22:18:49.695952273Z");
        TelemetryRecord record = new TelemetryRecord("CH-1", Instant.parse("2026-12-01T22:18:49.123456Z"),
                "{\"v\":1}", received, received.plusNanos(2_000_001));

        JsonNode json = Json.telemetry(record);

        assertThat(json.get("timestamp").asText()).isEqualTo("2026-12-01T22:18:49.123456Z");
        assertThat(json.at("/metadata/receivedAt").asText()).isEqualTo("2026-12-01T22:18:49.695Z");
        assertThat(json.at("/metadata/processedAt").asText()).isEqualTo("2026-12-01T22:18:49.697Z");
    }
}
