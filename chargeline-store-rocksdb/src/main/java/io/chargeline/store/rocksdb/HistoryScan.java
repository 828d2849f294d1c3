package io.chargeline.store.rocksdb;

import io.chargeline.core.Page;
import io.chargeline.core.telemetry.HistoryQuery;
import io.chargeline.core.telemetry.TelemetryRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/** One page of a charger's history, walking the day buckets the range covers in the asked order. */
final class HistoryScan {
    private final RocksDB db;
    private final NavigableMap<LocalDate, ColumnFamilyHandle> buckets;
    private final HistoryQuery q;
    private final List<TelemetryRecord> out = new ArrayList<>();

    HistoryScan(RocksDB db, NavigableMap<LocalDate, ColumnFamilyHandle> buckets, HistoryQuery q) {
        this.db = db;
        this.buckets = buckets;
        this.q = q;
    }

    Page<TelemetryRecord> run() {
        Instant from = q.from();
        Instant to = q.to();
        Instant after = q.after();
        if (after != null && !q.descending()) {
            from = max(from, after.plusNanos(1));
        } else if (after != null) {
            to = min(to, after);
        }
        if (!from.isBefore(to)) {
            return new Page<>(List.of(), null);
        }
        NavigableMap<LocalDate, ColumnFamilyHandle> days =
                buckets.subMap(TimeBuckets.dayOf(from), true, TimeBuckets.dayOf(to.minusNanos(1)), true);
        if (q.descending()) {
            days = days.descendingMap();
        }
        // read one more than the limit to know whether another page follows
        for (ColumnFamilyHandle bucket : days.values()) {
            if (!scan(bucket, from, to)) {
                break;
            }
        }
        String next = null;
        if (out.size() > q.limit()) {
            out.remove(out.size() - 1);
            next = HistoryQuery.cursorAfter(out.get(out.size() - 1).timestamp());
        }
        return new Page<>(out, next);
    }

    /** Returns false once enough rows were read. */
    private boolean scan(ColumnFamilyHandle bucket, Instant from, Instant to) {
        byte[] lower = TelemetryKeys.key(q.chargerId(), from);
        byte[] upper = TelemetryKeys.key(q.chargerId(), to);
        try (Slice lo = new Slice(lower);
                Slice hi = new Slice(upper);
                ReadOptions options = new ReadOptions().setIterateLowerBound(lo).setIterateUpperBound(hi);
                RocksIterator it = db.newIterator(bucket, options)) {
            if (q.descending()) {
                it.seekToLast();
            } else {
                it.seekToFirst();
            }
            while (it.isValid()) {
                out.add(RecordCodec.decode(it.key(), it.value()));
                if (out.size() > q.limit()) {
                    return false;
                }
                if (q.descending()) {
                    it.prev();
                } else {
                    it.next();
                }
            }
        }
        return true;
    }

    /**
     * A chunk of every charger's records in {@code [from, to)} after {@code after}, in bucket order. Keys outside
     * the range (first and last day) are skipped by seeking past them, charger by charger, not by reading them.
     */
    static List<TelemetryRecord> fleetChunk(RocksDB db, NavigableMap<LocalDate, ColumnFamilyHandle> buckets,
            Instant from, Instant to, TelemetryRecord after, int limit) {
        List<TelemetryRecord> out = new ArrayList<>(Math.min(limit, 1024));
        if (!from.isBefore(to)) {
            return out;
        }
        LocalDate first = after == null ? TimeBuckets.dayOf(from) : TimeBuckets.dayOf(after.timestamp());
        LocalDate last = TimeBuckets.dayOf(to.minusNanos(1));
        if (first.isAfter(last)) {
            return out;
        }
        for (Map.Entry<LocalDate, ColumnFamilyHandle> day : buckets.subMap(first, true, last, true).entrySet()) {
            try (RocksIterator it = db.newIterator(day.getValue())) {
                if (after != null && day.getKey().equals(first)) {
                    byte[] resume = TelemetryKeys.key(after.chargerId(), after.timestamp());
                    it.seek(resume);
                    if (it.isValid() && Arrays.equals(it.key(), resume)) {
                        it.next();
                    }
                } else {
                    it.seek(RollupKeys.FIRST_RECORD_KEY); // past the day's rollups
                }
                while (it.isValid() && out.size() < limit) {
                    byte[] key = it.key();
                    Instant ts = TelemetryKeys.timestamp(key);
                    if (ts.isBefore(from)) {
                        it.seek(TelemetryKeys.key(TelemetryKeys.chargerId(key), from));
                    } else if (!ts.isBefore(to)) {
                        it.seek(TelemetryKeys.endOfCharger(TelemetryKeys.chargerId(key)));
                    } else {
                        out.add(RecordCodec.decode(key, it.value()));
                        it.next();
                    }
                }
            }
            if (out.size() >= limit) {
                break;
            }
        }
        return out;
    }

    /** Counts keys only; values are never decoded. */
    static long count(RocksDB db, NavigableMap<LocalDate, ColumnFamilyHandle> buckets, String chargerId,
            Instant from, Instant to) {
        if (!from.isBefore(to)) {
            return 0;
        }
        long count = 0;
        byte[] lower = TelemetryKeys.key(chargerId, from);
        byte[] upper = TelemetryKeys.key(chargerId, to);
        for (ColumnFamilyHandle bucket
                : buckets.subMap(TimeBuckets.dayOf(from), true, TimeBuckets.dayOf(to.minusNanos(1)), true).values()) {
            try (Slice lo = new Slice(lower);
                    Slice hi = new Slice(upper);
                    ReadOptions options = new ReadOptions().setIterateLowerBound(lo).setIterateUpperBound(hi);
                    RocksIterator it = db.newIterator(bucket, options)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    count++;
                }
            }
        }
        return count;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
