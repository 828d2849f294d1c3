package io.chargeline.gateway.mqtt;

import io.chargeline.core.alarm.AlarmFeed;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a client's session keeps across its connections when it is persistent (MQTT 3 clean session off, MQTT 5
 * session expiry above 0): its subscriptions, the QoS 2 packet ids it has yet to release, and, for operators,
 * where its alarm feed stands (the newest event it acknowledged). An operator's persistent session is also kept in
 * the alarm store ({@link AlarmLog}), so it outlives a restart. Only the connection that owns it changes it.
 */
final class SessionState {
    final String clientId;
    final Duration expiry;
    /** Topic filters; read by whoever publishes an alarm event, so concurrent. */
    final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
    /**
     * QoS 2 packet ids stored (and answered with PUBREC, or about to be) and not yet released with PUBREL; the same
     * set passes on to the session's next connection, so a commit of the previous connection that completes after
     * the new CONNECT still lands where the new connection looks.
     */
    final Set<Integer> awaitingRelease;
    private volatile Instant awaySince;
    private volatile boolean feedStarted;
    private volatile String ackedEventId;

    SessionState(String clientId, Duration expiry) {
        this(clientId, expiry, ConcurrentHashMap.newKeySet());
    }

    private SessionState(String clientId, Duration expiry, Set<Integer> awaitingRelease) {
        this.clientId = clientId;
        this.expiry = expiry;
        this.awaitingRelease = awaitingRelease;
    }

    /** An operator's session as the alarm store kept it (after a restart, away since then at the latest). */
    static SessionState restored(AlarmFeed feed, Instant now) {
        SessionState s = new SessionState(feed.clientId(), feed.expiry());
        s.subscriptions.addAll(feed.filters());
        s.startFeed(feed.ackedEventId());
        s.away(feed.awaySince() != null ? feed.awaySince() : now);
        return s;
    }

    /** The same session continued by a new connection, with a new expiry. */
    SessionState resumedWith(Duration newExpiry) {
        SessionState s = new SessionState(clientId, newExpiry, awaitingRelease);
        s.subscriptions.addAll(subscriptions);
        s.feedStarted = feedStarted;
        s.ackedEventId = ackedEventId;
        return s;
    }

    boolean persistent() {
        return !expiry.isZero();
    }

    boolean subscribedTo(String topic) {
        for (String filter : subscriptions) {
            if (TopicRules.matches(filter, topic)) {
                return true;
            }
        }
        return false;
    }

    void away(Instant at) {
        awaySince = at;
    }

    void back() {
        awaySince = null;
    }

    boolean expired(Instant now) {
        Instant since = awaySince;
        return since != null && !since.plus(expiry).isAfter(now);
    }

    /** Whether the alarm feed has a starting point yet (set at the session's first granted subscription). */
    boolean feedStarted() {
        return feedStarted;
    }

    /** The feed starts after {@code eventId} (null: from the first event in the log). */
    void startFeed(String eventId) {
        ackedEventId = eventId;
        feedStarted = true;
    }

    /** The newest alarm event the client acknowledged, or where its feed started; null for the log's beginning. */
    String ackedEventId() {
        return ackedEventId;
    }

    /** The client acknowledged {@code eventId}; acknowledgements of older events do not move the feed back. */
    void acknowledged(String eventId) {
        String current = ackedEventId;
        if (current == null || eventId.compareTo(current) > 0) {
            ackedEventId = eventId;
        }
    }

    AlarmFeed feed() {
        return new AlarmFeed(clientId, Set.copyOf(subscriptions), expiry, ackedEventId, awaySince);
    }
}
