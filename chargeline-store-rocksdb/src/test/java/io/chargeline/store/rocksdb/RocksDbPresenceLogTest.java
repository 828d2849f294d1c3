package io.chargeline.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.chargeline.core.Presence;
import io.chargeline.core.PresenceListener.DisconnectReason;
import io.chargeline.core.PresenceLog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbPresenceLogTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @TempDir
    Path dir;

    private RocksDbStorage storage;

    @BeforeEach
    void open() {
        storage = RocksDbStorage.open(dir, Duration.ofDays(90), 5);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void events_areKeptPerCharger_newestFirst_withTheirReason_acrossReopen() {
        PresenceLog log = storage.presence();
        log.record(new Presence.Event("CH-1", true, T0, null));
        log.record(new Presence.Event("CH-10", true, T0, null));
        log.record(new Presence.Event("CH-1", false, T0.plusSeconds(5), DisconnectReason.KEEP_ALIVE_TIMEOUT));

        storage.close();
        storage = RocksDbStorage.open(dir, Duration.ofDays(90), 5);

        assertThat(storage.presence().history("CH-1", 10)).containsExactly(
                new Presence.Event("CH-1", false, T0.plusSeconds(5), DisconnectReason.KEEP_ALIVE_TIMEOUT),
                new Presence.Event("CH-1", true, T0, null));
        assertThat(storage.presence().history("CH-10", 10)).hasSize(1);
        assertThat(storage.presence().history("CH-2", 10)).isEmpty();
    }

    @Test
    void history_isTrimmedToTheNewestKept() {
        PresenceLog log = storage.presence();
        for (int i = 0; i < 3 * PresenceLog.KEPT_PER_CHARGER; i++) {
            log.record(new Presence.Event("CH-1", i % 2 == 0, T0.plusSeconds(i), i % 2 == 0 ? null : DisconnectReason.CONNECTION_LOST));
        }

        var all = log.history("CH-1", 1_000);

        assertThat(all.size()).isBetween(PresenceLog.KEPT_PER_CHARGER, PresenceLog.KEPT_PER_CHARGER + 50);
        assertThat(all.get(0).at()).isEqualTo(T0.plusSeconds(3L * PresenceLog.KEPT_PER_CHARGER - 1));
    }
}
