package io.chargeline.core.presence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which chargers are connected now, and each one's connects and disconnects (recorded in a {@link
 * PresenceLog}). A session takeover reports the new connection and the end of the old one in either order, so
 * connections are counted, not flagged.
 */
public final class Presence implements PresenceListener {
    private static final Logger LOG = LoggerFactory.getLogger(Presence.class);
    /** A charger's last connection event. {@code reason} is null for a connect. */
    public record Event(String chargerId, boolean connected, Instant at, DisconnectReason reason) {}

    private final ConcurrentHashMap<String, Integer> connections = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Event> last = new ConcurrentHashMap<>();
    private final PresenceLog log;
    private final PresenceListener downstream;

    public Presence() {
        this(PresenceLog.NONE, PresenceListener.NONE);
    }

    /** @param downstream told of every event after presence has recorded it (webhooks) */
    public Presence(PresenceLog log, PresenceListener downstream) {
        this.log = log;
        this.downstream = downstream;
    }

    @Override
    public void connected(String chargerId, Instant at) {
        connections.merge(chargerId, 1, Integer::sum);
        Event event = new Event(chargerId, true, at, null);
        record(event); // before it becomes visible, so what the status shows is already in the history
        last.put(chargerId, event);
        downstream.connected(chargerId, at);
    }

    @Override
    public void disconnected(String chargerId, Instant at, DisconnectReason reason) {
        connections.computeIfPresent(chargerId, (id, n) -> n <= 1 ? null : n - 1);
        Event event = new Event(chargerId, false, at, reason);
        record(event);
        if (reason != DisconnectReason.TAKEN_OVER || !isConnected(chargerId)) {
            last.put(chargerId, event);
        }
        downstream.disconnected(chargerId, at, reason);
    }

    public boolean isConnected(String chargerId) {
        return connections.containsKey(chargerId);
    }

    /** The charger's last event; after a restart, until it connects again, the last one recorded. */
    public Optional<Event> last(String chargerId) {
        Event known = last.get(chargerId);
        if (known != null) {
            return Optional.of(known);
        }
        List<Event> recorded = log.history(chargerId, 1);
        return recorded.isEmpty() ? Optional.empty() : Optional.of(recorded.get(0));
    }

    /** Newest first, at most {@link PresenceLog#KEPT_PER_CHARGER}. */
    public List<Event> history(String chargerId, int limit) {
        return log.history(chargerId, limit);
    }

    private void record(Event event) {
        try {
            log.record(event);
        } catch (RuntimeException e) {
            LOG.warn("presence: could not record {} of {}: {}", event.connected() ? "connect" : "disconnect",
                    event.chargerId(), e.getMessage());
        }
    }
}
