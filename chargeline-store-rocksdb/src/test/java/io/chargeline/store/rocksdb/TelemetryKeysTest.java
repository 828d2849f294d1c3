package io.chargeline.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TelemetryKeysTest {

    @ParameterizedTest
    @CsvSource({
        "CH-1, 2026-02-10T19:58:24.656Z",
        "CH-1, 1969-12-31T23:59:59.999999999Z",
        "a, 1970-01-01T00:00:00Z",
        "CH_17-b, 2999-01-01T00:00:00.000000001Z"
    })
    void key_roundTrips(String chargerId, String ts) {
        Instant timestamp = Instant.parse(ts);

        byte[] key = TelemetryKeys.key(chargerId, timestamp);

        assertThat(TelemetryKeys.chargerId(key)).isEqualTo(chargerId);
        assertThat(TelemetryKeys.timestamp(key)).isEqualTo(timestamp);
    }

    @ParameterizedTest
    @CsvSource({
        "CH-1, 2026-02-10T19:58:24.655Z, CH-1, 2026-02-10T19:58:24.656Z",
        "CH-1, 1969-12-31T23:59:59Z, CH-1, 1970-01-01T00:00:00Z",
        "CH-1, 2026-02-10T19:58:24.656Z, CH-1, 2026-02-10T19:58:24.656000001Z",
        "CH-1, 2999-01-01T00:00:00Z, CH-10, 1970-01-01T00:00:00Z",
        "CH-1, 2999-01-01T00:00:00Z, CH-1_, 1970-01-01T00:00:00Z"
    })
    void keys_sortByChargerThenTime_bytewiseUnsigned(String id1, String ts1, String id2, String ts2) {
        byte[] first = TelemetryKeys.key(id1, Instant.parse(ts1));
        byte[] second = TelemetryKeys.key(id2, Instant.parse(ts2));

        assertThat(Arrays.compareUnsigned(first, second)).isNegative();
        assertThat(Arrays.compareUnsigned(second, TelemetryKeys.endOfCharger(id2))).isNegative();
    }
}
