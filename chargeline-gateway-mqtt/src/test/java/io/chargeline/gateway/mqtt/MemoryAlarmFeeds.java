package io.chargeline.gateway.mqtt;

import io.chargeline.core.alarm.AlarmEvent;
import io.chargeline.core.alarm.AlarmFeed;
import io.chargeline.core.alarm.AlarmFeeds;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;

/** The alarm store's event log and feeds in memory; outlives a gateway, as the real store outlives a restart. */
final class MemoryAlarmFeeds implements AlarmFeeds {
    final NavigableMap<String, AlarmEvent> events = new ConcurrentSkipListMap<>();
    final Map<String, AlarmFeed> feeds = new ConcurrentHashMap<>();
    /** When set, a read that reaches the end of the log waits for it after taking its page (to race a replay). */
    volatile CountDownLatch holdReadsAtTheEnd;
    final CountDownLatch readHeldAtTheEnd = new CountDownLatch(1);

    void log(AlarmEvent event) {
        events.put(event.id(), event);
    }

    @Override
    public List<AlarmEvent> eventsAfter(String afterId, int limit) {
        List<AlarmEvent> page =
                (afterId == null ? events : events.tailMap(afterId, false)).values().stream().limit(limit).toList();
        CountDownLatch hold = holdReadsAtTheEnd;
        if (hold != null && page.size() < limit) {
            readHeldAtTheEnd.countDown();
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return page;
    }

    @Override
    public Optional<String> lastEventId() {
        return events.isEmpty() ? Optional.empty() : Optional.of(events.lastKey());
    }

    @Override
    public void saveFeed(AlarmFeed feed) {
        feeds.put(feed.clientId(), feed);
    }

    @Override
    public List<AlarmFeed> feeds() {
        return List.copyOf(feeds.values());
    }

    @Override
    public void deleteFeed(String clientId) {
        feeds.remove(clientId);
    }
}
