package io.chargeline.store.rocksdb;

import io.chargeline.core.StorageException;
import io.chargeline.core.telemetry.FieldRollup;
import io.chargeline.core.telemetry.FieldSummary;
import io.chargeline.core.telemetry.RollupPeriod;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;

/**
 * One field of a charger's stored rollups over a range, day bucket by day bucket. The period of the charger's newest
 * record is still open (see {@link RollupWriter}): it is reported incomplete, so readers take it from the records.
 * The newest timestamp and the rows come from one snapshot, so a period closing meanwhile is never missed.
 */
final class RollupScan {
    private RollupScan() {}

    static List<FieldRollup> read(RocksDB db, NavigableMap<LocalDate, ColumnFamilyHandle> buckets,
            ColumnFamilyHandle latest, String chargerId, RollupPeriod period, Instant from, Instant to, String field) {
        List<FieldRollup> out = new ArrayList<>();
        if (!from.isBefore(to)) {
            return out;
        }
        byte[] wanted = field.getBytes(StandardCharsets.UTF_8);
        Snapshot snapshot = db.getSnapshot();
        try (ReadOptions atSnapshot = new ReadOptions().setSnapshot(snapshot)) {
            byte[] newest = db.get(latest, atSnapshot, chargerId.getBytes(StandardCharsets.US_ASCII));
            Instant open = newest == null ? null : period.startOf(RecordCodec.getInstant(ByteBuffer.wrap(newest)));
            if (open == null || open.isBefore(from)) {
                return out; // no records at all, or none from the start of the range on
            }
            byte[] lower = RollupKeys.key(period, chargerId, from);
            byte[] upper = RollupKeys.key(period, chargerId, open.isBefore(to) ? open : to);
            for (ColumnFamilyHandle bucket
                    : buckets.subMap(TimeBuckets.dayOf(from), true, TimeBuckets.dayOf(to.minusNanos(1)), true).values()) {
                try (Slice lo = new Slice(lower);
                        Slice hi = new Slice(upper);
                        ReadOptions options = new ReadOptions().setSnapshot(snapshot).setIterateLowerBound(lo)
                                .setIterateUpperBound(hi);
                        RocksIterator it = db.newIterator(bucket, options)) {
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        byte[] value = it.value();
                        Instant start = RollupKeys.start(it.key());
                        boolean complete = RollupCodec.complete(value);
                        FieldSummary summary = RollupCodec.field(value, start, wanted);
                        if (summary != null || !complete) {
                            out.add(new FieldRollup(start, summary, complete));
                        }
                    }
                }
            }
            if (open.isBefore(to)) {
                out.add(new FieldRollup(open, null, false)); // nothing later than the open period has records
            }
        } catch (RocksDBException e) {
            throw new StorageException("RocksDB read failed: " + e.getMessage(), e);
        } finally {
            db.releaseSnapshot(snapshot);
        }
        return out;
    }
}
