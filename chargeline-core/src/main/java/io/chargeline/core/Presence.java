package io.chargeline.core;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which chargers are connected now, and each one's last connect or disconnect. A session takeover reports the
 * new connection and the end of the old one in either order, so connections are counted, not flagged.
 */
public final class Presence implements PresenceListener {
    /** A charger's last connection event. {@code reason} is null for a connect. */
    public record Event(String chargerId, boolean connected, Instant at, DisconnectReason reason) {}

    private final ConcurrentHashMap<String, Integer> connections = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Event> last = new ConcurrentHashMap<>();
    private final PresenceListener downstream;

    public Presence() {
        this(PresenceListener.NONE);
    }

    /** @param downstream told of every event after presence has recorded it (webhooks) */
    public Presence(PresenceListener downstream) {
        this.downstream = downstream;
    }

    @Override
    public void connected(String chargerId, Instant at) {
        connections.merge(chargerId, 1, Integer::sum);
        last.put(chargerId, new Event(chargerId, true, at, null));
        downstream.connected(chargerId, at);
    }

    @Override
    public void disconnected(String chargerId, Instant at, DisconnectReason reason) {
        connections.computeIfPresent(chargerId, (id, n) -> n <= 1 ? null : n - 1);
        if (reason != DisconnectReason.TAKEN_OVER || !isConnected(chargerId)) {
            last.put(chargerId, new Event(chargerId, false, at, reason));
        }
        downstream.disconnected(chargerId, at, reason);
    }

    public boolean isConnected(String chargerId) {
        return connections.containsKey(chargerId);
    }

    public Optional<Event> last(String chargerId) {
        return Optional.ofNullable(last.get(chargerId));
    }

    public int connectedCount() {
        return connections.size();
    }
}
