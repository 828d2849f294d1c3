package io.chargeline.store.rocksdb;

import io.chargeline.core.telemetry.Rollup;
import io.chargeline.core.telemetry.RollupPeriod;
import io.chargeline.core.telemetry.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the rollups of records stored before rollups were kept (a data directory of an earlier version), once, when
 * the store opens and before it takes writes. A marker in {@code meta} says it is done; an interrupted run starts
 * over, as rollups are only ever put whole.
 */
final class RollupBackfill {
    private static final Logger LOG = LoggerFactory.getLogger(RollupBackfill.class);
    private static final byte[] DONE = "rollups-kept".getBytes(StandardCharsets.US_ASCII);
    private static final int PUTS_PER_BATCH = 10_000;

    private final RocksDB db;
    private final WriteOptions writes;
    private WriteBatch batch = new WriteBatch();

    private RollupBackfill(RocksDB db, WriteOptions writes) {
        this.db = db;
        this.writes = writes;
    }

    static void runIfNeeded(RocksDB db, TimeBuckets buckets, ColumnFamilyHandle meta, WriteOptions writes)
            throws RocksDBException {
        if (db.get(meta, DONE) != null) {
            return;
        }
        Map<LocalDate, ColumnFamilyHandle> days = buckets.all();
        if (!days.isEmpty()) {
            LOG.info("rollups: building them for the records already stored ({} days); once only", days.size());
            RollupBackfill backfill = new RollupBackfill(db, writes);
            int done = 0;
            for (Map.Entry<LocalDate, ColumnFamilyHandle> day : days.entrySet()) {
                long records = backfill.day(day.getValue());
                LOG.info("rollups: {} done ({} records), {} of {} days", day.getKey(), records, ++done, days.size());
            }
            backfill.close();
        }
        db.put(meta, writes, DONE, new byte[] {1});
    }

    /** Walks one bucket's records (charger, then time), putting each charger's minute and hour as it passes. */
    private long day(ColumnFamilyHandle bucket) throws RocksDBException {
        long records = 0;
        Period minute = new Period(RollupPeriod.MINUTE);
        Period hour = new Period(RollupPeriod.HOUR);
        try (RocksIterator it = db.newIterator(bucket)) {
            for (it.seek(RollupKeys.FIRST_RECORD_KEY); it.isValid(); it.next()) {
                TelemetryRecord r = RecordCodec.decode(it.key(), it.value());
                minute.add(bucket, r);
                hour.add(bucket, r);
                records++;
            }
        }
        minute.flush(bucket);
        hour.flush(bucket);
        return records;
    }

    /** The rollup being built for one charger's current period. */
    private final class Period {
        private final RollupPeriod period;
        private String chargerId;
        private Instant start;
        private Rollup rollup;

        Period(RollupPeriod period) {
            this.period = period;
        }

        void add(ColumnFamilyHandle bucket, TelemetryRecord r) throws RocksDBException {
            Instant s = period.startOf(r.timestamp());
            if (!r.chargerId().equals(chargerId) || !s.equals(start)) {
                flush(bucket);
                chargerId = r.chargerId();
                start = s;
                rollup = new Rollup();
            }
            rollup.add(r);
        }

        void flush(ColumnFamilyHandle bucket) throws RocksDBException {
            if (rollup == null) {
                return;
            }
            batch.put(bucket, RollupKeys.key(period, chargerId, start), RollupCodec.encode(rollup, start));
            rollup = null;
            if (batch.count() >= PUTS_PER_BATCH) {
                db.write(writes, batch);
                batch.close();
                batch = new WriteBatch();
            }
        }
    }

    private void close() throws RocksDBException {
        db.write(writes, batch);
        batch.close();
    }
}
