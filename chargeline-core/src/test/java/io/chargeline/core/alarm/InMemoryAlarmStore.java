package io.chargeline.core.alarm;

import io.chargeline.core.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** The alarm store's contract in memory, for detector tests (the RocksDB one has its own tests). */
final class InMemoryAlarmStore implements AlarmStore {
    final NavigableMap<String, Alarm> alarms = new ConcurrentSkipListMap<>();
    final Map<String, Duration> thresholds = new ConcurrentHashMap<>();
    volatile Instant alive;
    final Map<String, AlarmRule> rules = new ConcurrentSkipListMap<>();
    final NavigableMap<String, AlarmEvent> events = new ConcurrentSkipListMap<>();
    final Map<String, AlarmFeed> feeds = new ConcurrentHashMap<>();

    @Override
    public void save(Alarm alarm) {
        alarms.put(alarm.id(), alarm);
    }

    @Override
    public void save(Alarm alarm, AlarmEvent event) {
        alarms.put(alarm.id(), alarm);
        events.put(event.id(), event);
    }

    @Override
    public List<AlarmEvent> eventsAfter(String afterId, int limit) {
        return (afterId == null ? events : events.tailMap(afterId, false)).values().stream().limit(limit).toList();
    }

    @Override
    public Optional<String> lastEventId() {
        return events.isEmpty() ? Optional.empty() : Optional.of(events.lastKey());
    }

    @Override
    public void dropEventsBefore(Instant before) {
        events.values().removeIf(e -> e.at().isBefore(before));
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

    @Override
    public Optional<Alarm> find(String id) {
        return Optional.ofNullable(alarms.get(id));
    }

    @Override
    public Page<Alarm> list(AlarmQuery q) {
        List<Alarm> out = new ArrayList<>();
        NavigableMap<String, Alarm> older = q.afterId() == null ? alarms.descendingMap()
                : alarms.headMap(q.afterId(), false).descendingMap();
        for (Alarm a : older.values()) {
            if (q.matches(a)) {
                out.add(a);
                if (out.size() == q.limit()) {
                    return new Page<>(out, a.id());
                }
            }
        }
        return new Page<>(out, null);
    }

    @Override
    public List<Alarm> active() {
        return alarms.values().stream().filter(Alarm::isActive).toList();
    }

    @Override
    public Map<String, Duration> silenceThresholds() {
        return Map.copyOf(thresholds);
    }

    @Override
    public void saveSilenceThreshold(String chargerId, Duration threshold) {
        if (threshold == null) {
            thresholds.remove(chargerId);
        } else {
            thresholds.put(chargerId, threshold);
        }
    }

    @Override
    public List<AlarmRule> rules() {
        return List.copyOf(rules.values());
    }

    @Override
    public void saveRule(AlarmRule rule) {
        rules.put(rule.id(), rule);
    }

    @Override
    public void deleteRule(String id) {
        rules.remove(id);
    }

    @Override
    public Optional<Instant> lastAlive() {
        return Optional.ofNullable(alive);
    }

    @Override
    public void markAlive(Instant at) {
        alive = at;
    }
}
