package io.chargeline.store.rocksdb;

import io.chargeline.core.telemetry.FieldRollup;
import io.chargeline.core.telemetry.FieldSummary;
import io.chargeline.core.telemetry.RollupPeriod;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/** One field of a charger's stored rollups over a range, day bucket by day bucket. */
final class RollupScan {
    private RollupScan() {}

    static List<FieldRollup> read(RocksDB db, NavigableMap<LocalDate, ColumnFamilyHandle> buckets, String chargerId,
            RollupPeriod period, Instant from, Instant to, String field) {
        List<FieldRollup> out = new ArrayList<>();
        if (!from.isBefore(to)) {
            return out;
        }
        byte[] wanted = field.getBytes(StandardCharsets.UTF_8);
        byte[] lower = RollupKeys.key(period, chargerId, from);
        byte[] upper = RollupKeys.key(period, chargerId, to);
        for (ColumnFamilyHandle bucket
                : buckets.subMap(TimeBuckets.dayOf(from), true, TimeBuckets.dayOf(to.minusNanos(1)), true).values()) {
            try (Slice lo = new Slice(lower);
                    Slice hi = new Slice(upper);
                    ReadOptions options = new ReadOptions().setIterateLowerBound(lo).setIterateUpperBound(hi);
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
        return out;
    }
}
