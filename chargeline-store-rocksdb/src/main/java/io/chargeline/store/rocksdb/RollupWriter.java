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
 * Keeps each charger's minute and hour rollups exact as its records are written. The minute and hour of a
 * charger's newest record are its open periods: summed in memory and written once they close (the charger's next
 * minute or hour begins), in the batch that closes them, so the usual append costs no read and, most of the time,
 * no write. Readers take open periods from the records (see {@link RollupScan}); a restart rebuilds a charger's open
 * periods from its stored records and minutes the first time it writes again.
 *
 * <p>A record that may replace a stored one is looked up: the same data changes nothing (a QoS 1 resend), other
 * data has its minute worked out again from the records and its hour from the minutes. Writer thread only (see
 * {@code TelemetryStore#commit}); after a failed commit {@link #forget} drops what memory holds, as the store is
 * the truth.
 */
final class RollupWriter {
    /** Chargers whose open periods are kept in memory; beyond, they are rebuilt from the store when needed. */
    private static final int CACHED_CHARGERS = 100_000;
    private static final long MINUTE = 60;

    private final RocksDB db;
    private final TimeBuckets buckets;
    private final Map<String, Open> open = new HashMap<>();

    RollupWriter(RocksDB db, TimeBuckets buckets) {
        this.db = db;
        this.buckets = buckets;
    }

    /** A charger's open periods: all records of its newest minute; the closed minutes of its newest hour. */
    private static final class Open {
        Instant newest;
        Instant minute;
        Rollup minuteRollup;
        Instant hour;
        Rollup hourRollup;
    }

    private record PeriodKey(String chargerId, RollupPeriod period, Instant start) {}

    /**
     * Adds to {@code batch} the rollup rows {@code records} close or change. {@code stored} gives each charger's
     * newest stored timestamp before them ({@link Instant#MIN} for none). Caller holds the buckets' shared lock, and
     * calls {@link #forget} if this or the write fails.
     */
    void apply(WriteBatch batch, List<EncodedRecord> records, Function<String, Instant> stored) throws RocksDBException {
        if (open.size() > CACHED_CHARGERS) {
            open.clear(); // crude bound; a fleet this large rebuilds open periods from the store more often
        }
        Map<String, List<EncodedRecord>> byCharger = new LinkedHashMap<>();
        for (EncodedRecord e : records) {
            byCharger.computeIfAbsent(e.record().chargerId(), id -> new ArrayList<>(2)).add(e);
        }
        Map<PeriodKey, Rollup> rows = new LinkedHashMap<>();
        for (Map.Entry<String, List<EncodedRecord>> e : byCharger.entrySet()) {
            Open o = openOf(e.getKey(), stored.apply(e.getKey()));
            if (onlyNewer(e.getValue(), o.newest)) {
                for (EncodedRecord r : e.getValue()) {
                    append(o, r.record(), rows);
                }
            } else {
                addCarefully(o, e.getKey(), e.getValue(), rows);
            }
        }
        write(batch, rows);
    }

    /**
     * Adds to {@code batch} the rollup rows a correction or deletion changes. {@code changed} maps each affected
     * timestamp of the charger to its record as it will be, or to null where it is deleted; {@code newestAfter} is
     * the charger's newest timestamp once the batch is written ({@link Instant#MIN} for none). Closed minutes are
     * worked out again from the records, closed hours from the minutes; open ones are rebuilt from the store the
     * next time the charger writes. Caller holds the buckets' shared lock, and calls {@link #forget} on failure.
     */
    void rewrite(WriteBatch batch, String chargerId, Map<Instant, TelemetryRecord> changed, Instant newestAfter)
            throws RocksDBException {
        open.remove(chargerId);
        boolean any = !newestAfter.equals(Instant.MIN);
        Instant openMinute = any ? RollupPeriod.MINUTE.startOf(newestAfter) : null;
        Instant openHour = any ? RollupPeriod.HOUR.startOf(newestAfter) : null;
        NavigableMap<Instant, TelemetryRecord> byTime = new TreeMap<>();
        Set<Instant> minutes = new java.util.TreeSet<>();
        changed.forEach((t, r) -> {
            byTime.put(t, r);
            minutes.add(RollupPeriod.MINUTE.startOf(t));
        });
        Map<PeriodKey, Rollup> rows = new LinkedHashMap<>();
        Set<Instant> hours = new java.util.TreeSet<>();
        for (Instant minute : minutes) {
            hours.add(RollupPeriod.HOUR.startOf(minute));
            PeriodKey key = new PeriodKey(chargerId, RollupPeriod.MINUTE, minute);
            if (any && !minute.isBefore(openMinute)) {
                if (minute.isAfter(openMinute)) {
                    rows.put(key, new Rollup()); // later than every record left: no row
                }
                continue;
            }
            Map<Instant, TelemetryRecord> records = storedRecords(chargerId, minute);
            byTime.subMap(minute, true, minute.plusSeconds(MINUTE), false).forEach((t, r) -> {
                if (r == null) {
                    records.remove(t);
                } else {
                    records.put(t, r);
                }
            });
            rows.put(key, Rollup.of(new ArrayList<>(records.values())));
        }
        for (Instant hour : hours) {
            PeriodKey key = new PeriodKey(chargerId, RollupPeriod.HOUR, hour);
            if (any && !hour.isBefore(openHour)) {
                if (hour.isAfter(openHour)) {
                    rows.put(key, new Rollup());
                }
                continue;
            }
            rows.put(key, sum(minutesOf(chargerId, hour, hour.plusSeconds(3_600), rows).values()));
        }
        write(batch, rows);
    }

    private void write(WriteBatch batch, Map<PeriodKey, Rollup> rows) throws RocksDBException {
        for (Map.Entry<PeriodKey, Rollup> e : rows.entrySet()) {
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

    /** A commit failed: what memory holds may be ahead of the store. */
    void forget() {
        open.clear();
    }

    /** Records newer than {@code newest}, each newer than the one before it: nothing stored is replaced. */
    private static boolean onlyNewer(List<EncodedRecord> records, Instant newest) {
        Instant last = newest;
        for (EncodedRecord r : records) {
            if (!r.record().timestamp().isAfter(last)) {
                return false;
            }
            last = r.record().timestamp();
        }
        return true;
    }

    /** The charger's open periods as memory holds them, or rebuilt from its stored records and minutes. */
    private Open openOf(String chargerId, Instant storedNewest) {
        Open o = open.get(chargerId);
        if (o != null) {
            return o;
        }
        o = new Open();
        o.newest = storedNewest;
        if (!storedNewest.equals(Instant.MIN)) {
            o.minute = RollupPeriod.MINUTE.startOf(storedNewest);
            o.minuteRollup = Rollup.of(new ArrayList<>(storedRecords(chargerId, o.minute).values()));
            o.hour = RollupPeriod.HOUR.startOf(storedNewest);
            o.hourRollup = sum(storedMinutes(chargerId, o.hour, o.minute).values());
        }
        open.put(chargerId, o);
        return o;
    }

    /** A record newer than every other of its charger: into the open minute, closing the periods it leaves. */
    private static void append(Open o, TelemetryRecord r, Map<PeriodKey, Rollup> rows) {
        Instant minute = RollupPeriod.MINUTE.startOf(r.timestamp());
        if (o.minute == null) {
            o.minute = minute;
            o.minuteRollup = new Rollup();
            o.hour = RollupPeriod.HOUR.startOf(minute);
            o.hourRollup = new Rollup();
        } else if (!minute.equals(o.minute)) {
            rows.put(new PeriodKey(r.chargerId(), RollupPeriod.MINUTE, o.minute), o.minuteRollup);
            o.hourRollup.merge(o.minuteRollup);
            Instant hour = RollupPeriod.HOUR.startOf(minute);
            if (!hour.equals(o.hour)) {
                rows.put(new PeriodKey(r.chargerId(), RollupPeriod.HOUR, o.hour), o.hourRollup);
                o.hour = hour;
                o.hourRollup = new Rollup();
            }
            o.minute = minute;
            o.minuteRollup = new Rollup();
        }
        o.minuteRollup.add(r);
        o.newest = r.timestamp();
    }

    /**
     * Records of which some may replace stored ones: the batch's last of each timestamp counts. Those not newer than
     * the charger's newest go first, while its open periods are still those of its newest record; then the rest,
     * oldest first, as appends.
     */
    private void addCarefully(Open o, String chargerId, List<EncodedRecord> records, Map<PeriodKey, Rollup> rows)
            throws RocksDBException {
        NavigableMap<Instant, EncodedRecord> lastOfEach = new TreeMap<>();
        for (EncodedRecord e : records) {
            lastOfEach.put(e.record().timestamp(), e);
        }
        Instant newest = o.newest;
        NavigableMap<Instant, EncodedRecord> late = newest.equals(Instant.MIN)
                ? new TreeMap<>() : new TreeMap<>(lastOfEach.headMap(newest, true));
        Set<Instant> minutesToRedo = new LinkedHashSet<>();
        for (EncodedRecord e : late.values()) {
            byte[] existing = storedRow(e);
            if (existing == null) {
                addLate(o, e.record(), rows);
            } else if (!RecordCodec.sameData(existing, e.value())) {
                minutesToRedo.add(RollupPeriod.MINUTE.startOf(e.record().timestamp()));
            }
        }
        for (Instant minute : minutesToRedo) {
            redo(o, chargerId, minute, late, rows);
        }
        for (EncodedRecord e : (newest.equals(Instant.MIN) ? lastOfEach : lastOfEach.tailMap(newest, false)).values()) {
            append(o, e.record(), rows);
        }
    }

    /** A record older than its charger's newest that replaces nothing: into its minute and hour, open or stored. */
    private void addLate(Open o, TelemetryRecord r, Map<PeriodKey, Rollup> rows) throws RocksDBException {
        Instant minute = RollupPeriod.MINUTE.startOf(r.timestamp());
        if (minute.equals(o.minute)) {
            o.minuteRollup.add(r); // the open hour holds closed minutes only
            return;
        }
        Instant hour = RollupPeriod.HOUR.startOf(minute);
        Rollup.addTo(r, row(rows, new PeriodKey(r.chargerId(), RollupPeriod.MINUTE, minute)),
                hour.equals(o.hour) ? o.hourRollup : row(rows, new PeriodKey(r.chargerId(), RollupPeriod.HOUR, hour)));
    }

    /** A minute some record of which was replaced by other data: from its records again, then its hour. */
    private void redo(Open o, String chargerId, Instant minute, NavigableMap<Instant, EncodedRecord> batch,
            Map<PeriodKey, Rollup> rows) {
        Map<Instant, TelemetryRecord> records = storedRecords(chargerId, minute);
        for (EncodedRecord e : batch.subMap(minute, true, minute.plusSeconds(MINUTE), false).values()) {
            records.put(e.record().timestamp(), e.record());
        }
        Rollup redone = Rollup.of(new ArrayList<>(records.values()));
        if (minute.equals(o.minute)) {
            o.minuteRollup = redone;
            return;
        }
        rows.put(new PeriodKey(chargerId, RollupPeriod.MINUTE, minute), redone);
        Instant hour = RollupPeriod.HOUR.startOf(minute);
        if (hour.equals(o.hour)) {
            o.hourRollup = sum(minutesOf(chargerId, hour, o.minute, rows).values());
        } else {
            rows.put(new PeriodKey(chargerId, RollupPeriod.HOUR, hour),
                    sum(minutesOf(chargerId, hour, hour.plusSeconds(3_600), rows).values()));
        }
    }

    /** Minute rollups in {@code [from, to)}: this batch's where it has them, the stored ones for the rest. */
    private Map<Instant, Rollup> minutesOf(String chargerId, Instant from, Instant to, Map<PeriodKey, Rollup> rows) {
        Map<Instant, Rollup> minutes = storedMinutes(chargerId, from, to);
        rows.forEach((k, r) -> {
            if (k.period() == RollupPeriod.MINUTE && k.chargerId().equals(chargerId) && !k.start().isBefore(from)
                    && k.start().isBefore(to)) {
                minutes.put(k.start(), r);
            }
        });
        return minutes;
    }

    /** The closed period's row this batch changes: already changed in it, or as stored. */
    private Rollup row(Map<PeriodKey, Rollup> rows, PeriodKey key) throws RocksDBException {
        Rollup r = rows.get(key);
        if (r == null) {
            ColumnFamilyHandle bucket = buckets.all().get(TimeBuckets.dayOf(key.start()));
            byte[] value = bucket == null ? null
                    : db.get(bucket, RollupKeys.key(key.period(), key.chargerId(), key.start()));
            r = value == null ? new Rollup() : RollupCodec.decode(value, key.start());
            rows.put(key, r);
        }
        return r;
    }

    private static Rollup sum(Iterable<Rollup> rollups) {
        Rollup sum = new Rollup();
        rollups.forEach(sum::merge);
        return sum;
    }

    private byte[] storedRow(EncodedRecord e) throws RocksDBException {
        ColumnFamilyHandle bucket = buckets.all().get(e.day());
        return bucket == null ? null : db.get(bucket, e.key());
    }

    /** The charger's stored records of one minute, by timestamp. */
    private Map<Instant, TelemetryRecord> storedRecords(String chargerId, Instant minute) {
        Map<Instant, TelemetryRecord> out = new TreeMap<>();
        ColumnFamilyHandle bucket = buckets.all().get(TimeBuckets.dayOf(minute));
        if (bucket == null) {
            return out;
        }
        try (Slice lo = new Slice(TelemetryKeys.key(chargerId, minute));
                Slice hi = new Slice(TelemetryKeys.key(chargerId, minute.plusSeconds(MINUTE)));
                ReadOptions options = new ReadOptions().setIterateLowerBound(lo).setIterateUpperBound(hi);
                RocksIterator it = db.newIterator(bucket, options)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                TelemetryRecord r = RecordCodec.decode(it.key(), it.value());
                out.put(r.timestamp(), r);
            }
        }
        return out;
    }

    /** The charger's stored minute rollups starting in {@code [from, to)}, within one hour. */
    private Map<Instant, Rollup> storedMinutes(String chargerId, Instant from, Instant to) {
        Map<Instant, Rollup> out = new TreeMap<>();
        ColumnFamilyHandle bucket = buckets.all().get(TimeBuckets.dayOf(from));
        if (bucket == null || !from.isBefore(to)) {
            return out;
        }
        try (Slice lo = new Slice(RollupKeys.key(RollupPeriod.MINUTE, chargerId, from));
                Slice hi = new Slice(RollupKeys.key(RollupPeriod.MINUTE, chargerId, to));
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
