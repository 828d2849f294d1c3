package io.chargeline.store.rocksdb;

import io.chargeline.core.Page;
import io.chargeline.core.StorageException;
import io.chargeline.core.telemetry.DeadLetter;
import io.chargeline.core.telemetry.FieldRollup;
import io.chargeline.core.telemetry.HistoryQuery;
import io.chargeline.core.telemetry.RollupPeriod;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.chargeline.core.telemetry.TelemetryStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telemetry rows in day buckets (see {@link TimeBuckets}), the newest timestamp per charger in {@code
 * latest}, and a bounded dead-letter log. Each {@link #commit} is one atomic {@link WriteBatch} written with
 * a synced WAL, so it is durable when it returns.
 *
 * <p>Retention: a bucket is dropped once both its day and the last write into it are older than the
 * retention period, so a late-arriving record (old timestamp, received now) still lives a full period.
 */
final class RocksDbTelemetryStore implements TelemetryStore {
    private static final Logger LOG = LoggerFactory.getLogger(RocksDbTelemetryStore.class);
    private static final String LAST_WRITE = "bucket-last-write/";

    private final RocksDB db;
    private final TimeBuckets buckets;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle latest;
    private final ColumnFamilyHandle deadLetters;
    private final WriteOptions syncWrites;
    private final Duration retention;
    private final int maxDeadLetters;
    private final AtomicLong deadLetterSequence;
    private long deadLetterCount;
    /**
     * Each charger's newest stored timestamp, so a commit need not read the index back. Touched only by the
     * single writer thread (see {@link TelemetryStore#commit}).
     */
    private final Map<String, Instant> latestCache = new HashMap<>();
    private final RollupWriter rollups;
    /** Commits, corrections and deletions one at a time: the rollup writer and the latest cache are single-writer. */
    private final Object writeLock = new Object();
    private static final int LATEST_CACHE_ENTRIES = 1_000_000;

    RocksDbTelemetryStore(RocksDB db, TimeBuckets buckets, ColumnFamilyHandle meta, ColumnFamilyHandle latest,
            ColumnFamilyHandle deadLetters, WriteOptions syncWrites, Duration retention, int maxDeadLetters) {
        this.db = db;
        this.buckets = buckets;
        this.meta = meta;
        this.latest = latest;
        this.deadLetters = deadLetters;
        this.syncWrites = syncWrites;
        this.retention = retention;
        this.maxDeadLetters = maxDeadLetters;
        this.rollups = new RollupWriter(db, buckets);
        long[] countAndLast = scanDeadLetters();
        this.deadLetterCount = countAndLast[0];
        this.deadLetterSequence = new AtomicLong(countAndLast[1]);
    }

    @Override
    public List<Unstorable> commit(List<TelemetryRecord> records, List<DeadLetter> letters) {
        synchronized (writeLock) {
            return commitLocked(records, letters);
        }
    }

    @Override
    public Optional<TelemetryRecord> update(String chargerId, Instant timestamp, UnaryOperator<String> change,
            Instant at) {
        synchronized (writeLock) {
            buckets.sharedLock().lock();
            try (WriteBatch batch = new WriteBatch()) {
                ColumnFamilyHandle bucket = buckets.all().get(TimeBuckets.dayOf(timestamp));
                byte[] key = TelemetryKeys.key(chargerId, timestamp);
                byte[] value = bucket == null ? null : db.get(bucket, key);
                if (value == null) {
                    return Optional.empty();
                }
                TelemetryRecord stored = RecordCodec.decode(key, value);
                TelemetryRecord corrected = stored.corrected(change.apply(stored.dataJson()), at);
                batch.put(bucket, key, RecordCodec.encode(corrected));
                loadLatest(java.util.Set.of(chargerId));
                rollups.rewrite(batch, chargerId, Map.of(timestamp, corrected), latestCache.get(chargerId));
                db.write(syncWrites, batch);
                return Optional.of(corrected);
            } catch (RocksDBException | RuntimeException e) {
                rollups.forget();
                throw e instanceof RocksDBException ? new StorageException("RocksDB write failed: " + e.getMessage(), e)
                        : (RuntimeException) e;
            } finally {
                buckets.sharedLock().unlock();
            }
        }
    }

    /** A thousand records per atomic step, newest first, so the latest index follows the deletion down. */
    @Override
    public long delete(String chargerId, Instant from, Instant to) {
        long total = 0;
        while (true) {
            synchronized (writeLock) {
                buckets.sharedLock().lock();
                try (WriteBatch batch = new WriteBatch()) {
                    Page<TelemetryRecord> page = new HistoryScan(db, buckets.all(),
                            new HistoryQuery(chargerId, from, to, HistoryQuery.MAX_LIMIT, true, null)).run();
                    List<TelemetryRecord> chunk = page.items();
                    if (chunk.isEmpty()) {
                        return total;
                    }
                    Map<Instant, TelemetryRecord> changed = new HashMap<>();
                    for (TelemetryRecord r : chunk) {
                        batch.delete(buckets.all().get(TimeBuckets.dayOf(r.timestamp())),
                                TelemetryKeys.key(chargerId, r.timestamp()));
                        changed.put(r.timestamp(), null);
                    }
                    loadLatest(java.util.Set.of(chargerId));
                    Instant newest = latestCache.get(chargerId);
                    if (changed.containsKey(newest)) {
                        newest = putLatestBefore(batch, chargerId, chunk.get(chunk.size() - 1).timestamp());
                    }
                    rollups.rewrite(batch, chargerId, changed, newest);
                    db.write(syncWrites, batch);
                    latestCache.put(chargerId, newest);
                    total += chunk.size();
                    if (page.nextCursor() == null) {
                        return total;
                    }
                } catch (RocksDBException | RuntimeException e) {
                    rollups.forget();
                    latestCache.remove(chargerId);
                    throw e instanceof RocksDBException
                            ? new StorageException("RocksDB write failed: " + e.getMessage(), e) : (RuntimeException) e;
                } finally {
                    buckets.sharedLock().unlock();
                }
            }
        }
    }

    /**
     * The charger's newest record went: its latest-index entry becomes the newest record before {@code before}, or
     * goes when there is none. Returns that timestamp ({@link Instant#MIN} for none).
     */
    private Instant putLatestBefore(WriteBatch batch, String chargerId, Instant before) throws RocksDBException {
        byte[] id = chargerId.getBytes(StandardCharsets.US_ASCII);
        if (buckets.all().isEmpty()) {
            batch.delete(latest, id);
            return Instant.MIN;
        }
        Instant start = buckets.all().firstKey().atStartOfDay().toInstant(ZoneOffset.UTC);
        List<TelemetryRecord> previous = start.isBefore(before)
                ? new HistoryScan(db, buckets.all(), new HistoryQuery(chargerId, start, before, 1, true, null)).run().items()
                : List.of();
        if (previous.isEmpty()) {
            batch.delete(latest, id);
            return Instant.MIN;
        }
        TelemetryRecord r = previous.get(0);
        ByteBuffer value = ByteBuffer.allocate(24);
        RecordCodec.putInstant(value, r.timestamp());
        RecordCodec.putInstant(value, r.receivedAt());
        batch.put(latest, id, value.array());
        return r.timestamp();
    }

    private List<Unstorable> commitLocked(List<TelemetryRecord> records, List<DeadLetter> letters) {
        if (records.isEmpty() && letters.isEmpty()) {
            return List.of();
        }
        List<Unstorable> unstorable = new ArrayList<>();
        List<EncodedRecord> encoded = encode(records, unstorable);
        Map<String, Instant> newest = new HashMap<>();
        Map<String, Instant> received = new HashMap<>();
        for (EncodedRecord e : encoded) {
            TelemetryRecord r = e.record();
            newest.merge(r.chargerId(), r.timestamp(), (a, b) -> a.isAfter(b) ? a : b);
            if (r.receivedAt() != null) {
                received.merge(r.chargerId(), r.receivedAt(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        buckets.sharedLock().lock();
        try (WriteBatch batch = new WriteBatch()) {
            loadLatest(newest.keySet());
            Map<LocalDate, ColumnFamilyHandle> touched = new HashMap<>();
            for (EncodedRecord e : encoded) {
                ColumnFamilyHandle bucket = touched.get(e.day());
                if (bucket == null) {
                    bucket = buckets.forWrite(e.day());
                    touched.put(e.day(), bucket);
                }
                batch.put(bucket, e.key(), e.value());
            }
            try {
                rollups.apply(batch, encoded, latestCache::get);
            } catch (RocksDBException | RuntimeException e) {
                rollups.forget();
                throw e;
            }
            putLatest(batch, newest, received);
            long now = System.currentTimeMillis();
            for (LocalDate day : touched.keySet()) {
                batch.put(meta, lastWriteKey(day), ByteBuffer.allocate(8).putLong(now).array());
            }
            for (DeadLetter letter : letters) {
                batch.put(deadLetters, DeadLetterCodec.key(letter, deadLetterSequence.incrementAndGet()),
                        DeadLetterCodec.encode(letter));
            }
            try {
                db.write(syncWrites, batch);
            } catch (RocksDBException e) {
                rollups.forget();
                throw e;
            }
            rememberLatest(newest);
            deadLetterCount += letters.size();
        } catch (RocksDBException e) {
            throw new StorageException("RocksDB write failed: " + e.getMessage(), e);
        } finally {
            buckets.sharedLock().unlock();
        }
        if (deadLetterCount > maxDeadLetters) {
            trimDeadLetters();
        }
        return unstorable;
    }

    /**
     * Each record's bucket, key and value, worked out before anything joins the batch: a record that cannot be
     * encoded is left out (and reported) instead of failing the commit of every record beside it.
     */
    private static List<EncodedRecord> encode(List<TelemetryRecord> records, List<Unstorable> unstorable) {
        List<EncodedRecord> out = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            TelemetryRecord r = records.get(i);
            try {
                LocalDate day = TimeBuckets.storableDayOf(r.timestamp());
                out.add(new EncodedRecord(r, day, TelemetryKeys.key(r.chargerId(), r.timestamp()), RecordCodec.encode(r)));
            } catch (RuntimeException e) {
                unstorable.add(new Unstorable(i, "the store cannot encode this record: " + e.getMessage()));
            }
        }
        return out;
    }

    /** Reads into the cache the newest stored timestamp of each charger it does not hold ({@link Instant#MIN}: none). */
    private void loadLatest(java.util.Set<String> chargerIds) throws RocksDBException {
        List<String> misses = new ArrayList<>();
        for (String id : chargerIds) {
            if (!latestCache.containsKey(id)) {
                misses.add(id);
            }
        }
        if (misses.isEmpty()) {
            return;
        }
        if (latestCache.size() + misses.size() > LATEST_CACHE_ENTRIES) {
            latestCache.clear(); // crude bound; a fleet this large simply reads the index more often
            misses = new ArrayList<>(chargerIds);
        }
        List<byte[]> keys = new ArrayList<>(misses.size());
        for (String id : misses) {
            keys.add(id.getBytes(StandardCharsets.US_ASCII));
        }
        List<byte[]> stored = db.multiGetAsList(Collections.nCopies(keys.size(), latest), keys);
        for (int i = 0; i < misses.size(); i++) {
            byte[] value = stored.get(i);
            latestCache.put(misses.get(i), value == null ? Instant.MIN : RecordCodec.getInstant(ByteBuffer.wrap(value)));
        }
    }

    /**
     * The {@code latest} index: per charger its newest timestamp and the receive time of its last stored
     * record (12 + 12 bytes). Both change with every batch a charger is in, so its entry is always rewritten.
     * The cache holds every charger of the batch (see {@link #loadLatest}).
     */
    private void putLatest(WriteBatch batch, Map<String, Instant> newest, Map<String, Instant> received)
            throws RocksDBException {
        for (Map.Entry<String, Instant> e : newest.entrySet()) {
            Instant current = latestCache.get(e.getKey());
            Instant timestamp = current != null && current.isAfter(e.getValue()) ? current : e.getValue();
            ByteBuffer value = ByteBuffer.allocate(24);
            RecordCodec.putInstant(value, timestamp);
            RecordCodec.putInstant(value, received.getOrDefault(e.getKey(), Instant.EPOCH));
            batch.put(latest, e.getKey().getBytes(StandardCharsets.US_ASCII), value.array());
        }
    }

    /** After a successful write: the cache now mirrors what the batch wrote. */
    private void rememberLatest(Map<String, Instant> newest) {
        newest.forEach((id, ts) -> latestCache.merge(id, ts, (a, b) -> a.isAfter(b) ? a : b));
    }

    /** Two multi-gets: the latest index for every charger, then each charger's newest record from its day bucket. */
    @Override
    public List<TelemetryRecord> latest(List<String> chargerIds) {
        if (chargerIds.isEmpty()) {
            return List.of();
        }
        buckets.sharedLock().lock();
        try {
            List<byte[]> ids = new ArrayList<>(chargerIds.size());
            for (String id : chargerIds) {
                ids.add(id.getBytes(StandardCharsets.US_ASCII));
            }
            List<byte[]> index = db.multiGetAsList(Collections.nCopies(ids.size(), latest), ids);
            Map<LocalDate, ColumnFamilyHandle> all = buckets.all();
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (index.get(i) == null) {
                    continue;
                }
                Instant ts = RecordCodec.getInstant(ByteBuffer.wrap(index.get(i)));
                ColumnFamilyHandle bucket = all.get(TimeBuckets.dayOf(ts));
                if (bucket != null) {
                    handles.add(bucket);
                    keys.add(TelemetryKeys.key(chargerIds.get(i), ts));
                }
            }
            List<byte[]> values = keys.isEmpty() ? List.of() : db.multiGetAsList(handles, keys);
            List<TelemetryRecord> found = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                if (values.get(i) != null) {
                    found.add(RecordCodec.decode(keys.get(i), values.get(i)));
                }
            }
            return found;
        } catch (RocksDBException e) {
            throw new StorageException("RocksDB read failed: " + e.getMessage(), e);
        } finally {
            buckets.sharedLock().unlock();
        }
    }

    @Override
    public Optional<TelemetryRecord> latest(String chargerId) {
        List<TelemetryRecord> found = latest(List.of(chargerId));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public Page<TelemetryRecord> history(HistoryQuery q) {
        buckets.sharedLock().lock();
        try {
            return new HistoryScan(db, buckets.all(), q).run();
        } finally {
            buckets.sharedLock().unlock();
        }
    }

    @Override
    public List<TelemetryRecord> fleetChunk(Instant from, Instant to, TelemetryRecord after, int limit) {
        buckets.sharedLock().lock();
        try {
            return HistoryScan.fleetChunk(db, buckets.all(), from, to, after, limit);
        } finally {
            buckets.sharedLock().unlock();
        }
    }

    @Override
    public List<FieldRollup> rollups(String chargerId, RollupPeriod period, Instant from, Instant to, String field) {
        buckets.sharedLock().lock();
        try {
            return RollupScan.read(db, buckets.all(), latest, chargerId, period, from, to, field);
        } finally {
            buckets.sharedLock().unlock();
        }
    }

    @Override
    public long count(String chargerId, Instant from, Instant to) {
        buckets.sharedLock().lock();
        try {
            return HistoryScan.count(db, buckets.all(), chargerId, from, to);
        } finally {
            buckets.sharedLock().unlock();
        }
    }

    @Override
    public Map<String, Instant> lastReceived() {
        Map<String, Instant> out = new HashMap<>();
        buckets.sharedLock().lock();
        try (RocksIterator it = db.newIterator(latest)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                ByteBuffer value = ByteBuffer.wrap(it.value());
                Instant timestamp = RecordCodec.getInstant(value);
                // entries written before receive times were kept hold only the timestamp
                out.put(new String(it.key(), StandardCharsets.US_ASCII),
                        value.remaining() >= 12 ? RecordCodec.getInstant(value) : timestamp);
            }
        } finally {
            buckets.sharedLock().unlock();
        }
        return out;
    }

    @Override
    public List<DeadLetter> recentDeadLetters(int limit) {
        List<DeadLetter> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(deadLetters)) {
            for (it.seekToLast(); it.isValid() && out.size() < limit; it.prev()) {
                out.add(DeadLetterCodec.decode(it.value()));
            }
        }
        return out;
    }

    @Override
    public int expire(Instant now) {
        Instant cutoff = now.minus(retention);
        try {
            List<LocalDate> dropped = buckets.dropWhere(day -> isExpired(day, cutoff));
            for (LocalDate day : dropped) {
                db.delete(meta, lastWriteKey(day));
                LOG.info("retention: dropped telemetry bucket {} (older than {})", day, retention);
            }
            return dropped.size();
        } catch (RocksDBException e) {
            throw new StorageException("RocksDB retention failed: " + e.getMessage(), e);
        }
    }

    private boolean isExpired(LocalDate day, Instant cutoff) {
        Instant dayEnd = day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        if (dayEnd.isAfter(cutoff)) {
            return false;
        }
        try {
            byte[] lastWrite = db.get(meta, lastWriteKey(day));
            return lastWrite == null || !Instant.ofEpochMilli(ByteBuffer.wrap(lastWrite).getLong()).isAfter(cutoff);
        } catch (RocksDBException e) {
            throw new StorageException("RocksDB read failed: " + e.getMessage(), e);
        }
    }

    /** Deletes the oldest dead letters beyond the bound (newest kept). */
    private void trimDeadLetters() {
        long excess = deadLetterCount - maxDeadLetters;
        try (RocksIterator it = db.newIterator(deadLetters)) {
            it.seekToFirst();
            byte[] first = it.isValid() ? it.key() : null;
            for (long i = 0; i < excess && it.isValid(); i++) {
                it.next();
            }
            if (first != null && it.isValid()) {
                db.deleteRange(deadLetters, syncWrites, first, it.key());
                deadLetterCount = maxDeadLetters;
            }
        } catch (RocksDBException e) {
            LOG.warn("dead letters: trimming to {} failed; will retry on the next commit", maxDeadLetters, e);
        }
    }

    private long[] scanDeadLetters() {
        long count = 0;
        long lastSequence = 0;
        try (RocksIterator it = db.newIterator(deadLetters)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                count++;
                lastSequence = Math.max(lastSequence, DeadLetterCodec.sequence(it.key()));
            }
        }
        return new long[] {count, lastSequence};
    }

    private static byte[] lastWriteKey(LocalDate day) {
        return (LAST_WRITE + day).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        // The owning RocksDbStorage closes the database and handles.
    }
}
