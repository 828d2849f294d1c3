package io.chargeline.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTimestampsTest {

    @ParameterizedTest
    @CsvSource({
        "2026-12-01T22:18:49.695952273Z, 2026-12-01T22:18:49.695Z",
        "2026-12-01T22:18:49.999999999Z, 2026-12-01T22:18:49.999Z",
        "2026-12-01T22:18:49Z, 2026-12-01T22:18:49.000Z",
        "2026-12-01T22:18:49.1Z, 2026-12-01T22:18:49.100Z",
        "1970-01-01T00:00:00Z, 1970-01-01T00:00:00.000Z"})
    void format_isUtc_withExactlyMilliseconds(String instant, String written) {
        assertThat(JsonTimestamps.format(Instant.parse(instant))).isEqualTo(written);
    }

    @ParameterizedTest
    @CsvSource({
        "2026-12-01T22:18:49Z, 2026-12-01T22:18:49.000Z",
        "2026-12-01T22:18:49.5Z, 2026-12-01T22:18:49.500Z",
        "2026-12-01T22:18:49.123456Z, 2026-12-01T22:18:49.123456Z",
        "2026-12-01T22:18:49.000001Z, 2026-12-01T22:18:49.000001Z",
        "2026-12-01T22:18:49.123456789Z, 2026-12-01T22:18:49.123456789Z",
        "2026-12-01T22:18:49.1234567Z, 2026-12-01T22:18:49.123456700Z"})
    void recordTimestamp_keepsTheDigitsThatCarryTheInstant(String instant, String written) {
        assertThat(JsonTimestamps.formatRecordTimestamp(Instant.parse(instant))).isEqualTo(written);
        assertThat(Instant.parse(written)).isEqualTo(Instant.parse(instant));
    }

    @org.junit.jupiter.api.Test
    void format_ofNull_isNull() {
        assertThat(JsonTimestamps.format(null)).isNull();
    }
}
