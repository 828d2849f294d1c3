package io.chargeline.gateway.mqtt;

import io.chargeline.core.alarm.AlarmFeed;
import io.chargeline.core.device.ClientKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Live connections by client id (one each: a new one takes over), and the persistent sessions kept between them.
 * Operators' persistent sessions are mirrored to the alarm store and loaded from it at start.
 */
final class Sessions {
    private final ConcurrentHashMap<String, ClientConnection> live = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, SessionState> kept = new ConcurrentHashMap<>();
    private final AtomicInteger chargers = new AtomicInteger();
    private final AlarmLog alarmLog;

    Sessions(AlarmLog alarmLog, Instant now) {
        this.alarmLog = alarmLog;
        for (AlarmFeed feed : alarmLog.store().feeds()) {
            kept.put(feed.clientId(), SessionState.restored(feed, now));
        }
    }

    /** The session a CONNECT continues, and whether it existed ({@code sessionPresent} in the CONNACK). */
    record Opened(SessionState state, boolean present) {}

    Opened open(String clientId, boolean cleanStart, Duration expiry, Instant now) {
        SessionState previous = kept.remove(clientId);
        if (previous != null && !cleanStart && !previous.expired(now)) {
            SessionState resumed = previous.resumedWith(expiry);
            keepIfPersistent(resumed);
            return new Opened(resumed, true);
        }
        if (previous != null) {
            alarmLog.forget(clientId); // a new session saves its own record once it subscribes
        }
        SessionState fresh = new SessionState(clientId, expiry);
        keepIfPersistent(fresh);
        return new Opened(fresh, false);
    }

    private void keepIfPersistent(SessionState state) {
        if (state.persistent()) {
            kept.put(state.clientId, state);
            alarmLog.keep(state);
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
            alarmLog.keep(state);
        }
    }

    ClientConnection live(String clientId) {
        return live.get(clientId);
    }

    /** Forgets a client's kept session (revocation). */
    void forget(String clientId) {
        kept.remove(clientId);
        alarmLog.forget(clientId);
    }

    /** Runs {@code action} for each connected operator client (for alarm events; chargers are skipped, not copied). */
    void forEachLiveOperator(Consumer<ClientConnection> action) {
        for (ClientConnection c : live.values()) {
            if (c.kind == ClientKind.OPERATOR) {
                action.accept(c);
            }
        }
    }

    List<ClientConnection> allLive() {
        return new ArrayList<>(live.values());
    }

    /** Drops sessions whose client stayed away past their expiry. */
    int sweep(Instant now) {
        int dropped = 0;
        for (SessionState s : kept.values()) {
            if (s.expired(now) && kept.remove(s.clientId, s)) {
                alarmLog.forget(s.clientId);
                dropped++;
            }
        }
        return dropped;
    }

    int connectedChargers() {
        return Math.max(0, chargers.get());
    }

    int keptSessions() {
        return kept.size();
    }
}
