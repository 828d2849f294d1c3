package io.chargeline.gateway.mqtt;

import io.chargeline.core.ClientKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Live connections by client id (one each: a new one takes over), and the persistent sessions kept between them. */
final class Sessions {
    private final ConcurrentHashMap<String, ClientConnection> live = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, SessionState> kept = new ConcurrentHashMap<>();
    private final AtomicInteger chargers = new AtomicInteger();
    private final int missedLimit;

    Sessions(int missedLimit) {
        this.missedLimit = missedLimit;
    }

    /** The session a CONNECT continues, and whether it existed ({@code sessionPresent} in the CONNACK). */
    record Opened(SessionState state, boolean present) {}

    Opened open(String clientId, boolean cleanStart, Duration expiry, Instant now) {
        SessionState previous = kept.remove(clientId);
        if (previous != null && !cleanStart && !previous.expired(now)) {
            // the packet ids awaiting release are shared, not copied: a commit of the previous connection that
            // completes after this CONNECT still lands where this connection looks
            SessionState resumed = new SessionState(clientId, expiry, missedLimit, previous.awaitingRelease);
            resumed.subscriptions.addAll(previous.subscriptions);
            resumed.returnUnacknowledged(previous.takeMissed());
            keepIfPersistent(resumed);
            return new Opened(resumed, true);
        }
        SessionState fresh = new SessionState(clientId, expiry, missedLimit, ConcurrentHashMap.newKeySet());
        keepIfPersistent(fresh);
        return new Opened(fresh, false);
    }

    private void keepIfPersistent(SessionState state) {
        if (state.persistent()) {
            kept.put(state.clientId, state);
        }
    }

    /** Makes {@code connection} the live one for its client id; returns the one it replaces, if any. */
    ClientConnection takeOver(ClientConnection connection) {
        ClientConnection previous = live.put(connection.clientId, connection);
        if (connection.kind == ClientKind.CHARGER && previous == null) {
            chargers.incrementAndGet();
        }
        return previous;
    }

    /** The connection ended; its session stays only when persistent, until it expires. */
    void ended(ClientConnection connection, Instant now) {
        if (live.remove(connection.clientId, connection) && connection.kind == ClientKind.CHARGER) {
            chargers.decrementAndGet();
        }
        SessionState state = connection.session;
        if (state.persistent() && kept.get(connection.clientId) == state) {
            state.away(now);
        }
    }

    ClientConnection live(String clientId) {
        return live.get(clientId);
    }

    /** Forgets a client's kept session (revocation). */
    void forget(String clientId) {
        kept.remove(clientId);
    }

    /** Operator sessions, connected or away, for alarm events. */
    List<SessionState> operatorSessions() {
        List<SessionState> out = new ArrayList<>();
        for (SessionState s : kept.values()) {
            if (ClientKind.of(s.clientId) == ClientKind.OPERATOR) {
                out.add(s);
            }
        }
        for (ClientConnection c : live.values()) {
            if (c.kind == ClientKind.OPERATOR && !c.session.persistent()) {
                out.add(c.session);
            }
        }
        return out;
    }

    List<ClientConnection> allLive() {
        return new ArrayList<>(live.values());
    }

    /** Drops sessions whose client stayed away past their expiry. */
    int sweep(Instant now) {
        int before = kept.size();
        kept.values().removeIf(s -> s.expired(now));
        return before - kept.size();
    }

    int connectedChargers() {
        return Math.max(0, chargers.get());
    }

    int keptSessions() {
        return kept.size();
    }
}
