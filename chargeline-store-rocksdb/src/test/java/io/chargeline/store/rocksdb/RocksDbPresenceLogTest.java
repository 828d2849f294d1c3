package io.chargeline.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.chargeline.core.presence.Presence;
import io.chargeline.core.presence.PresenceListener.DisconnectReason;
import io.chargeline.core.presence.PresenceLog;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RocksDbPresenceLogTest extends StorageFixture {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void events_areKeptPerCharger_newestFirst_withTheirReason_acrossReopen() {
        PresenceLog log = storage.presence();
        log.record(new Presence.Event("CH-1", true, T0, null));
        log.record(new Presence.Event("CH-10", true, T0, null));
        log.record(new Presence.Event("CH-1", false, T0.plusSeconds(5), DisconnectReason.KEEP_ALIVE_TIMEOUT));

        reopen();

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
