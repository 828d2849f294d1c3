package io.chargeline.core.presence;

import java.util.List;

/**
 * Where connection events are recorded: a bounded history per charger. Writes need not be synced (the log is
 * for operators; a power cut may lose its last events, never telemetry).
 */
public interface PresenceLog {
    PresenceLog NONE = new PresenceLog() {
        @Override
        public void record(Presence.Event event) {}

        @Override
        public List<Presence.Event> history(String chargerId, int limit) {
            return List.of();
        }
    };

    /** How many events are kept per charger. */
    int KEPT_PER_CHARGER = 100;

    void record(Presence.Event event);

    /** Newest first. */
    List<Presence.Event> history(String chargerId, int limit);
}
