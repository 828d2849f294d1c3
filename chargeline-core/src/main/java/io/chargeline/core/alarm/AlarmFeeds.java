package io.chargeline.core.alarm;

import java.util.List;
import java.util.Optional;

/**
 * The part of the alarm store a device gateway needs to give operator clients every event they missed: the event
 * log, read oldest first from where a client left off, and the clients' persistent subscriptions. Thread-safe.
 */
public interface AlarmFeeds {
    /** Logged events after {@code afterId} (from the first when null), oldest first, at most {@code limit}. */
    List<AlarmEvent> eventsAfter(String afterId, int limit);

    /** The newest logged event's id. */
    Optional<String> lastEventId();

    /**
     * Inserts or replaces an operator's persistent alarm subscription. Kept across a process crash; need not be
     * synced (written on every acknowledgement: a power cut may lose the last ones, and those events go again).
     */
    void saveFeed(AlarmFeed feed);

    List<AlarmFeed> feeds();

    void deleteFeed(String clientId);
}
