package io.chargeline.core.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.chargeline.core.StorageException;
import io.chargeline.core.presence.PresenceListener.DisconnectReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private final List<Presence.Event> recorded = new ArrayList<>();
    private final PresenceLog log = new PresenceLog() {
        @Override
        public void record(Presence.Event event) {
            recorded.add(0, event);
        }

        @Override
        public List<Presence.Event> history(String chargerId, int limit) {
            return recorded.stream().filter(e -> e.chargerId().equals(chargerId)).limit(limit).toList();
        }
    };

    @Test
    void takeover_inEitherOrder_leavesTheChargerOnline() {
        Presence presence = new Presence(log, PresenceListener.NONE);
        presence.connected("CH-1", T0);

        presence.connected("CH-1", T0.plusSeconds(1)); // new connection first
        presence.disconnected("CH-1", T0.plusSeconds(1), DisconnectReason.TAKEN_OVER);
        assertThat(presence.isConnected("CH-1")).isTrue();
        assertThat(presence.last("CH-1")).get().satisfies(e -> assertThat(e.connected()).isTrue());

        presence.disconnected("CH-1", T0.plusSeconds(2), DisconnectReason.CLIENT_DISCONNECT);
        assertThat(presence.isConnected("CH-1")).isFalse();
        assertThat(presence.last("CH-1")).get().satisfies(e -> assertThat(e.reason()).isEqualTo(DisconnectReason.CLIENT_DISCONNECT));
        assertThat(recorded).hasSize(4);
    }

    @Test
    void afterARestart_theLastRecordedEventIsKnown_untilTheChargerConnects() {
        new Presence(log, PresenceListener.NONE).disconnected("CH-1", T0, DisconnectReason.CONNECTION_LOST);

        Presence restarted = new Presence(log, PresenceListener.NONE);

        assertThat(restarted.isConnected("CH-1")).isFalse();
        assertThat(restarted.last("CH-1")).get().satisfies(e -> assertThat(e.reason()).isEqualTo(DisconnectReason.CONNECTION_LOST));
        assertThat(restarted.last("CH-2")).isEmpty();
    }

    @Test
    void aFailingLog_neverBreaksConnectionHandling() {
        Presence presence = new Presence(new PresenceLog() {
            @Override
            public void record(Presence.Event event) {
                throw new StorageException("disk full", null);
            }

            @Override
            public List<Presence.Event> history(String chargerId, int limit) {
                return List.of();
            }
        }, PresenceListener.NONE);

        presence.connected("CH-1", T0);

        assertThat(presence.isConnected("CH-1")).isTrue();
    }
}
