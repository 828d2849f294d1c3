package io.chargeline.store.rocksdb;

import io.chargeline.core.Page;
import io.chargeline.core.alarm.Alarm;
import io.chargeline.core.alarm.AlarmQuery;
import io.chargeline.core.alarm.AlarmRule;
import io.chargeline.core.alarm.AlarmStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * Alarms by id in {@code alarms} (ids are time-ordered, so iterating backwards lists newest first), silence
 * thresholds by charger in {@code charger-settings}, value rules in {@code alarm-rules}, and the liveness mark in the default column family.
 */
final class RocksDbAlarmStore implements AlarmStore {
    private static final byte[] ALIVE_KEY = "server-alive-at".getBytes(StandardCharsets.US_ASCII);

    private final RocksDB db;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle alarms;
    private final ColumnFamilyHandle settings;
    private final ColumnFamilyHandle rules;
    private final WriteOptions syncWrites;
    private final WriteOptions unsyncedWrites;

    RocksDbAlarmStore(RocksDB db, ColumnFamilyHandle meta, ColumnFamilyHandle alarms, ColumnFamilyHandle settings,
            ColumnFamilyHandle rules, WriteOptions syncWrites, WriteOptions unsyncedWrites) {
        this.rules = rules;
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
