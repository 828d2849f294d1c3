package io.chargeline.gateway.mqtt;

import io.chargeline.core.alarm.AlarmEvent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm events one operator connection is sent, in event order, each once per connection. A session's first
 * subscription starts its feed at the newest announced event; a resumed session first replays from the alarm
 * store everything after the newest event it acknowledged, a page at a time as the client acknowledges, then goes
 * live. Events announced meanwhile are held (or, past a bound, read from the store again), and a client too slow
 * for the live rate is switched back to reading the store, so memory per connection stays bounded. Event loop only.
 */
final class OperatorFeed {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorFeed.class);
    static final int PAGE = 256;
    /** Events held while replaying, and outbound publishes waiting for the client's receive maximum, at most. */
    static final int BACKLOG_LIMIT = 1_000;

    private final ClientConnection connection;
    private final ArrayDeque<AlarmEvent> held = new ArrayDeque<>();
    private boolean started;
    private boolean replaying;
    private boolean heldOverflowed;
    private boolean readingPage;
    private boolean pageWanted;
    /** Newest event this connection sent or passed over; every later event is newer. */
    private String sent;

    OperatorFeed(ClientConnection connection) {
        this.connection = connection;
    }

    /** The session has subscriptions now: a new feed starts at the newest event, a kept one replays what it missed. */
    void start() {
        if (started) {
            return;
        }
        started = true;
        SessionState session = connection.session;
        boolean resumed = session.feedStarted();
        if (!resumed) {
            session.startFeed(connection.services().alarmTopic().lastAnnounced());
        }
        sent = session.ackedEventId();
        if (resumed) {
            replaying = true;
            readPage();
        }
    }

    void announced(AlarmEvent event) {
        if (!started || connection.closing()) {
            return;
        }
        if (replaying) {
            if (held.size() < BACKLOG_LIMIT) {
                held.addLast(event);
            } else {
                heldOverflowed = true; // it is in the store: the replay reads it from there
            }
            return;
        }
        if (connection.outboundWaiting() >= BACKLOG_LIMIT) {
            LOG.info("{} is not keeping up with alarm events; sending them from the alarm store as it acknowledges",
                    connection.clientId);
            replaying = true;
            pageWanted = true;
            return;
        }
        deliver(event);
    }

    /** The client acknowledged an alarm event: its feed moves on, durably for a persistent session. */
    void acknowledged(String eventId) {
        connection.session.acknowledged(eventId);
        connection.services().alarmLog().keep(connection.session);
    }

    /** The client's receive maximum has room again and nothing waits: the next page, if one is due. */
    void outboundDrained() {
        if (pageWanted && !readingPage) {
            pageWanted = false;
            readPage();
        }
    }

    private void readPage() {
        readingPage = true;
        String after = sent;
        boolean queued = connection.services().alarmLog().readAfter(after, PAGE,
                page -> connection.channel.eventLoop().execute(() -> pageRead(page)));
        if (!queued) {
            readingPage = false;
            connection.channel.eventLoop().schedule(this::readPage, 1, TimeUnit.SECONDS);
        }
    }

    private void pageRead(List<AlarmEvent> page) {
        readingPage = false;
        if (connection.closing()) {
            return;
        }
        for (AlarmEvent event : page) {
            deliver(event);
        }
        if (page.size() == PAGE || heldOverflowed) {
            heldOverflowed = false;
            held.clear(); // what was held is in the store too, and the next pages read it in order
            if (connection.outboundWaiting() == 0) {
                readPage();
            } else {
                pageWanted = true;
            }
            return;
        }
        replaying = false;
        AlarmEvent next;
        while ((next = held.pollFirst()) != null) {
            deliver(next);
        }
    }

    private void deliver(AlarmEvent event) {
        if (sent != null && event.id().compareTo(sent) <= 0) {
            return;
        }
        sent = event.id();
        String topic = AlarmTopic.topic(event);
        if (connection.session.subscribedTo(topic)) {
            connection.send(OutboundMessage.alarmEvent(topic, event.json(), event.id()));
        }
    }
}
