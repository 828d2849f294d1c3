package io.chargeline.gateway.mqtt;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a client's session keeps across its connections when it is persistent (MQTT 3 clean session off, MQTT 5
 * session expiry above 0): its subscriptions, the QoS 2 packet ids it has yet to release, and, for operators, the
 * alarm events published while it was away. Only the connection that owns it changes the first two.
 */
final class SessionState {
    final String clientId;
    final Duration expiry;
    /** Topic filters; read by whoever publishes an alarm event, so concurrent. */
    final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
    /**
     * QoS 2 packet ids stored (and answered with PUBREC, or about to be) and not yet released with PUBREL; the same
     * set passes on to the session's next connection.
     */
    final Set<Integer> awaitingRelease;
    private final ArrayDeque<OutboundMessage> missed = new ArrayDeque<>();
    private final int missedLimit;
    private int missedDropped;
    private volatile Instant awaySince;

    SessionState(String clientId, Duration expiry, int missedLimit, Set<Integer> awaitingRelease) {
        this.clientId = clientId;
        this.awaitingRelease = awaitingRelease;
        this.expiry = expiry;
        this.missedLimit = missedLimit;
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

    /** Keeps an event for when the client is back; the oldest goes when the queue is full. */
    synchronized void keepMissed(OutboundMessage message) {
        if (missed.size() >= missedLimit) {
            missed.pollFirst();
            missedDropped++;
        }
        missed.addLast(message);
    }

    /** Puts events sent but not acknowledged before the connection ended back in front, oldest first. */
    synchronized void returnUnacknowledged(List<OutboundMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            missed.addFirst(messages.get(i));
        }
        while (missed.size() > missedLimit) {
            missed.pollLast();
            missedDropped++;
        }
    }

    synchronized List<OutboundMessage> takeMissed() {
        List<OutboundMessage> all = List.copyOf(missed);
        missed.clear();
        return all;
    }

    /** Events dropped because the queue was full, since the last call. */
    synchronized int takeDroppedCount() {
        int n = missedDropped;
        missedDropped = 0;
        return n;
    }
}
