package io.chargeline.store.rocksdb;

import io.chargeline.core.telemetry.Rollup;
import io.chargeline.core.telemetry.RollupPeriod;
import io.chargeline.core.telemetry.TelemetryRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * Keeps each charger's minute and hour rollups exact as its records are written, in the same batch as the
 * records. The common case, a charger's records newer than anything it has stored, only adds to the rollups of
 * its newest periods, which are kept here, so it reads nothing. A record that may replace a stored one is looked
 * up: the same data changes nothing (a QoS 1 resend), other data has its minute worked out again from the records
 * and its hour from the minutes. Writer thread only (see {@code TelemetryStore#commit}).
 */
final class RollupWriter {
    /** Chargers whose newest rollups are kept in memory; beyond, they are read back from the store. */
    private static final int CACHED_CHARGERS = 50_000;

    private final RocksDB db;
    private final TimeBuckets buckets;
    private final Map<String, Newest> newest = new HashMap<>();

    RollupWriter(RocksDB db, TimeBuckets buckets) {
        this.db = db;
        this.buckets = buckets;
    }

    /** A charger's newest minute and hour rollups as stored. */
    private static final class Newest {
        Instant minute;
        Rollup minuteRollup;
        Instant hour;
        Rollup hourRollup;
    }

    record PeriodKey(String chargerId, RollupPeriod period, Instant start) {}

    /**
     * The rollup changes {@code records} make. {@code stored} gives each charger's newest stored timestamp before
     * them ({@link Instant#MIN} for none). Caller holds the buckets' shared lock.
     */
    Changes plan(List<EncodedRecord> records, Function<String, Instant> stored) throws RocksDBException {
        Map<String, List<EncodedRecord>> byCharger = new LinkedHashMap<>();
        for (EncodedRecord e : records) {
            byCharger.computeIfAbsent(e.record().chargerId(), id -> new ArrayList<>(2)).add(e);
        }
        Changes changes = new Changes();
        for (Map.Entry<String, List<EncodedRecord>> e : byCharger.entrySet()) {
            Instant before = stored.apply(e.getKey());
            if (onlyNewer(e.getValue(), before)) {
                for (EncodedRecord r : e.getValue()) {
                    changes.add(r.record(), before);
                }
            } else {
                changes.addCarefully(e.getKey(), e.getValue(), before);
            }
        }
        return changes;
    }

    /** Records newer than {@code before}, each newer than the one before it: nothing stored is replaced. */
    private static boolean onlyNewer(List<EncodedRecord> records, Instant before) {
        Instant last = before;
        for (EncodedRecord r : records) {
            if (!r.record().timestamp().isAfter(last)) {
                return false;
            }
            last = r.record().timestamp();
        }
        return true;
    }

    /** One batch's new rollups: written with it, remembered once it is durable. */
    final class Changes {
        private final Map<PeriodKey, Rollup> pending = new LinkedHashMap<>();

        private void add(TelemetryRecord r, Instant storedBefore) throws RocksDBException {
            rollup(key(r, RollupPeriod.MINUTE), storedBefore).add(r);
            rollup(key(r, RollupPeriod.HOUR), storedBefore).add(r);
        }

        private void addCarefully(String chargerId, List<EncodedRecord> records, Instant storedBefore)
                throws RocksDBException {
            NavigableMap<Instant, EncodedRecord> lastOfEach = new TreeMap<>(); // a batch's later put wins
            for (EncodedRecord e : records) {
                lastOfEach.put(e.record().timestamp(), e);
            }
            Set<Instant> minutesToRedo = new LinkedHashSet<>();
            for (EncodedRecord e : lastOfEach.values()) {
                byte[] existing = e.record().timestamp().isAfter(storedBefore) ? null : storedRow(e);
                if (existing == null) {
                    add(e.record(), storedBefore);
                } else if (!RecordCodec.sameData(existing, e.value())) {
                    minutesToRedo.add(RollupPeriod.MINUTE.startOf(e.record().timestamp()));
                }
            }
            Set<Instant> hoursToRedo = new LinkedHashSet<>();
            for (Instant minute : minutesToRedo) {
                Map<Instant, TelemetryRecord> rows = storedRecords(chargerId, minute);
                for (EncodedRecord e : lastOfEach.subMap(minute, true, minute.plusSeconds(60), false).values()) {
                    rows.put(e.record().timestamp(), e.record());
                }
                pending.put(new PeriodKey(chargerId, RollupPeriod.MINUTE, minute), Rollup.of(new ArrayList<>(rows.values())));
                hoursToRedo.add(RollupPeriod.HOUR.startOf(minute));
            }
            for (Instant hour : hoursToRedo) {
                pending.put(new PeriodKey(chargerId, RollupPeriod.HOUR, hour), hourFromMinutes(chargerId, hour));
            }
        }

        /** The hour as the sum of its minutes: this batch's where it has them, the stored ones for the rest. */
        private Rollup hourFromMinutes(String chargerId, Instant hour) {
            Map<Instant, Rollup> minutes = storedRollups(chargerId, RollupPeriod.MINUTE, hour, hour.plusSeconds(3_600));
            pending.forEach((k, r) -> {
                if (k.period() == RollupPeriod.MINUTE && k.chargerId().equals(chargerId)
                        && RollupPeriod.HOUR.startOf(k.start()).equals(hour)) {
                    minutes.put(k.start(), r);
                }
            });
            Rollup sum = new Rollup();
            minutes.values().forEach(sum::merge);
            return sum;
        }

        /** The rollup this batch adds to: already pending, the kept newest, the stored one, or a new one. */
        private Rollup rollup(PeriodKey key, Instant storedBefore) throws RocksDBException {
            Rollup r = pending.get(key);
            if (r != null) {
                return r;
            }
            Newest kept = newest.get(key.chargerId());
            Rollup current = kept == null ? null : key.period() == RollupPeriod.MINUTE
                    ? (key.start().equals(kept.minute) ? kept.minuteRollup : null)
                    : (key.start().equals(kept.hour) ? kept.hourRollup : null);
            if (current != null) {
                r = current.copy();
            } else if (!storedBefore.equals(Instant.MIN) && !key.start().isAfter(key.period().startOf(storedBefore))) {
                r = storedRollup(key); // a period no later than the newest stored record may have a row
            } else {
                r = new Rollup();
            }
            pending.put(key, r);
            return r;
        }

        void writeTo(WriteBatch batch) throws RocksDBException {
            for (Map.Entry<PeriodKey, Rollup> e : pending.entrySet()) {
                PeriodKey k = e.getKey();
                ColumnFamilyHandle bucket = buckets.forWrite(TimeBuckets.storableDayOf(k.start()));
                byte[] key = RollupKeys.key(k.period(), k.chargerId(), k.start());
                if (e.getValue().isEmpty()) {
                    batch.delete(bucket, key);
                } else {
                    batch.put(bucket, key, RollupCodec.encode(e.getValue(), k.start()));
                }
            }
        }

        /** The batch is durable: its rollups of each charger's newest periods are kept. */
        void written() {
            if (newest.size() > CACHED_CHARGERS) {
                newest.clear(); // crude bound; a fleet this large reads its rollups back more often
            }
            pending.forEach((k, r) -> {
                Newest n = newest.computeIfAbsent(k.chargerId(), id -> new Newest());
                if (k.period() == RollupPeriod.MINUTE && (n.minute == null || !k.start().isBefore(n.minute))) {
                    n.minute = k.start();
                    n.minuteRollup = r;
                } else if (k.period() == RollupPeriod.HOUR && (n.hour == null || !k.start().isBefore(n.hour))) {
                    n.hour = k.start();
                    n.hourRollup = r;
                }
            });
        }
    }

    private static PeriodKey key(TelemetryRecord r, RollupPeriod period) {
        return new PeriodKey(r.chargerId(), period, period.startOf(r.timestamp()));
    }

    private byte[] storedRow(EncodedRecord e) throws RocksDBException {
        ColumnFamilyHandle bucket = buckets.all().get(e.day());
        return bucket == null ? null : db.get(bucket, e.key());
    }

    private Rollup storedRollup(PeriodKey key) throws RocksDBException {
        ColumnFamilyHandle bucket = buckets.all().get(TimeBuckets.dayOf(key.start()));
        byte[] value = bucket == null ? null : db.get(bucket, RollupKeys.key(key.period(), key.chargerId(), key.start()));
        return value == null ? new Rollup() : RollupCodec.decode(value, key.start());
    }

    /** The charger's stored records of one minute, by timestamp. */
    private Map<Instant, TelemetryRecord> storedRecords(String chargerId, Instant start) {
        Map<Instant, TelemetryRecord> out = new TreeMap<>();
        ColumnFamilyHandle bucket = buckets.all().get(TimeBuckets.dayOf(start));
        if (bucket == null) {
            return out;
        }
        byte[] lower = TelemetryKeys.key(chargerId, start);
        byte[] upper = TelemetryKeys.key(chargerId, start.plusSeconds(60));
        try (Slice lo = new Slice(lower);
                Slice hi = new Slice(upper);
                ReadOptions options = new ReadOptions().setIterateLowerBound(lo).setIterateUpperBound(hi);
                RocksIterator it = db.newIterator(bucket, options)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                TelemetryRecord r = RecordCodec.decode(it.key(), it.value());
                out.put(r.timestamp(), r);
            }
        }
        return out;
    }

    /** The charger's stored {@code period} rollups starting in {@code [from, to)}, within one day. */
    private Map<Instant, Rollup> storedRollups(String chargerId, RollupPeriod period, Instant from, Instant to) {
        Map<Instant, Rollup> out = new TreeMap<>();
        ColumnFamilyHandle bucket = buckets.all().get(TimeBuckets.dayOf(from));
        if (bucket == null) {
            return out;
        }
        try (Slice lo = new Slice(RollupKeys.key(period, chargerId, from));
                Slice hi = new Slice(RollupKeys.key(period, chargerId, to));
                ReadOptions options = new ReadOptions().setIterateLowerBound(lo).setIterateUpperBound(hi);
                RocksIterator it = db.newIterator(bucket, options)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                Instant start = RollupKeys.start(it.key());
                out.put(start, RollupCodec.decode(it.value(), start));
            }
        }
        return out;
    }
}
