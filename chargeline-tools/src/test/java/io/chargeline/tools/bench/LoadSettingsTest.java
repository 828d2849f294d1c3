package io.chargeline.tools.bench;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoadSettingsTest {

    @ParameterizedTest
    @CsvSource({
        "0, 60, 1, 16, 200, 0, --devices",
        "10, 0, 1, 16, 200, 0, --duration",
        "10, 60, 2, 16, 200, 0, --qos",
        "10, 60, 1, 0, 200, 0, --inflight",
        "10, 60, 1, 65, 200, 0, --inflight",
        "10, 60, 1, 16, 99, 0, --payload-bytes",
        "10, 60, 1, 16, 200000, 0, --payload-bytes",
        "10, 60, 1, 16, 200, -1, --rate"
    })
    void invalidSettings_nameTheFlag(int devices, int seconds, int qos, int inflight, int payload, int rate, String flag) {
        assertThatThrownBy(() -> new LoadSettings(devices, Duration.ofSeconds(seconds), Duration.ofSeconds(1), qos,
                inflight, payload, rate)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(flag);
    }
}
