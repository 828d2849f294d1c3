package io.chargeline.store.rocksdb;

import io.chargeline.core.Page;
import io.chargeline.core.alarm.Alarm;
import io.chargeline.core.alarm.AlarmEvent;
import io.chargeline.core.alarm.AlarmFeed;
import io.chargeline.core.alarm.AlarmQuery;
import io.chargeline.core.alarm.AlarmRule;
import io.chargeline.core.alarm.AlarmStore;
import io.chargeline.core.timing.TimeOrderedIds;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Alarms by id in {@code alarms} (ids are time-ordered, so iterating backwards lists newest first), their raised
 * and cleared events by event id in {@code alarm-events}, operators' persistent feeds by client id in
 * {@code alarm-feeds}, silence
 * thresholds by charger in {@code charger-settings}, value rules in {@code alarm-rules}, and the liveness mark in the default column family.
 */
final class RocksDbAlarmStore implements AlarmStore {
    private static final byte[] ALIVE_KEY = "server-alive-at".getBytes(StandardCharsets.US_ASCII);

    private final RocksDB db;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle alarms;
    private final ColumnFamilyHandle settings;
    private final ColumnFamilyHandle rules;
    private final ColumnFamilyHandle events;
    private final ColumnFamilyHandle feeds;
    private final WriteOptions syncWrites;
    private final WriteOptions unsyncedWrites;

    RocksDbAlarmStore(RocksDB db, ColumnFamilyHandle meta, ColumnFamilyHandle alarms, ColumnFamilyHandle settings,
            ColumnFamilyHandle rules, ColumnFamilyHandle events, ColumnFamilyHandle feeds, WriteOptions syncWrites,
            WriteOptions unsyncedWrites) {
        this.rules = rules;
        this.events = events;
        this.feeds = feeds;
        this.db = db;
        this.meta = meta;
        this.alarms = alarms;
        this.settings = settings;
        this.syncWrites = syncWrites;
        this.unsyncedWrites = unsyncedWrites;
    }

    @Override
    public void save(Alarm alarm) {
        RocksCalls.write("alarm write", () -> db.put(alarms, syncWrites, key(alarm.id()), AlarmCodec.encode(alarm)));
    }

    @Override
    public void save(Alarm alarm, AlarmEvent event) {
        RocksCalls.write("alarm write", () -> {
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(alarms, key(alarm.id()), AlarmCodec.encode(alarm));
                batch.put(events, key(event.id()), AlarmCodec.encode(event));
                db.write(syncWrites, batch);
            }
        });
    }

    @Override
    public List<AlarmEvent> eventsAfter(String afterId, int limit) {
        List<AlarmEvent> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(events)) {
            if (afterId == null) {
                it.seekToFirst();
            } else {
                it.seek(key(afterId));
                if (it.isValid() && Arrays.equals(it.key(), key(afterId))) {
                    it.next();
                }
            }
            for (; it.isValid() && out.size() < limit; it.next()) {
                out.add(AlarmCodec.decodeEvent(it.value()));
            }
        }
        return out;
    }

    @Override
    public Optional<String> lastEventId() {
        try (RocksIterator it = db.newIterator(events)) {
            it.seekToLast();
            return it.isValid() ? Optional.of(new String(it.key(), StandardCharsets.US_ASCII)) : Optional.empty();
        }
    }

    /** Event ids start with their time in hex milliseconds, so the log before a time is one key range. */
    @Override
    public void dropEventsBefore(Instant before) {
        byte[] end = key(TimeOrderedIds.firstAt(before));
        RocksCalls.write("alarm event log trim", () -> db.deleteRange(events, syncWrites, new byte[] {'0'}, end));
    }

    /**
     * Not synced: written on every acknowledgement an operator sends. A process crash keeps it (the WAL is written);
     * a power cut may lose the last moments, and the client is then sent those events again.
     */
    @Override
    public void saveFeed(AlarmFeed feed) {
        RocksCalls.write("alarm feed write",
                () -> db.put(feeds, unsyncedWrites, key(feed.clientId()), AlarmCodec.encode(feed)));
    }

    @Override
    public List<AlarmFeed> feeds() {
        List<AlarmFeed> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(feeds)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(AlarmCodec.decodeFeed(it.value()));
            }
        }
        return out;
    }

    @Override
    public void deleteFeed(String clientId) {
        RocksCalls.write("alarm feed delete", () -> db.delete(feeds, syncWrites, key(clientId)));
    }

    @Override
    public Optional<Alarm> find(String id) {
        byte[] value = RocksCalls.read("alarm read", () -> db.get(alarms, key(id)));
        return value == null ? Optional.empty() : Optional.of(AlarmCodec.decode(value));
    }

    @Override
    public Page<Alarm> list(AlarmQuery query) {
        List<Alarm> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(alarms)) {
            NewestFirst.seekBefore(it, query.afterId() == null ? null : key(query.afterId()));
            for (; it.isValid() && out.size() < query.limit(); it.prev()) {
                Alarm alarm = AlarmCodec.decode(it.value());
                if (query.matches(alarm)) {
                    out.add(alarm);
                }
            }
            boolean more = out.size() == query.limit() && it.isValid();
            return new Page<>(out, more ? out.get(out.size() - 1).id() : null);
        }
    }

    @Override
    public List<Alarm> active() {
        List<Alarm> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(alarms)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                Alarm alarm = AlarmCodec.decode(it.value());
                if (alarm.isActive()) {
                    out.add(alarm);
                }
            }
        }
        return out;
    }

    @Override
    public Map<String, Duration> silenceThresholds() {
        Map<String, Duration> out = new HashMap<>();
        try (RocksIterator it = db.newIterator(settings)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.put(new String(it.key(), StandardCharsets.US_ASCII), Duration.ofMillis(ByteBuffer.wrap(it.value()).getLong()));
            }
        }
        return out;
    }

    @Override
    public void saveSilenceThreshold(String chargerId, Duration threshold) {
        byte[] key = chargerId.getBytes(StandardCharsets.US_ASCII);
        RocksCalls.write("settings write", () -> {
            if (threshold == null) {
                db.delete(settings, syncWrites, key);
            } else {
                db.put(settings, syncWrites, key, ByteBuffer.allocate(8).putLong(threshold.toMillis()).array());
            }
        });
    }

    @Override
    public List<AlarmRule> rules() {
        List<AlarmRule> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(rules)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(AlarmCodec.decodeRule(it.value()));
            }
        }
        return out;
    }

    @Override
    public void saveRule(AlarmRule rule) {
        RocksCalls.write("rule write", () -> db.put(rules, syncWrites, key(rule.id()), AlarmCodec.encode(rule)));
    }

    @Override
    public void deleteRule(String id) {
        RocksCalls.write("rule delete", () -> db.delete(rules, syncWrites, key(id)));
    }

    @Override
    public Optional<Instant> lastAlive() {
        byte[] value = RocksCalls.read("liveness mark read", () -> db.get(meta, ALIVE_KEY));
        return value == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ByteBuffer.wrap(value).getLong()));
    }

    @Override
    public void markAlive(Instant at) {
        RocksCalls.write("liveness mark write",
                () -> db.put(meta, unsyncedWrites, ALIVE_KEY, ByteBuffer.allocate(8).putLong(at.toEpochMilli()).array()));
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.US_ASCII);
    }
}
