package io.chargeline.store.rocksdb;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * One column family per UTC day of record timestamps, so retention drops whole days at once instead of
 * deleting rows. Readers and writers hold the shared lock while they use a handle; dropping takes the
 * exclusive lock, so no handle is closed under a reader.
 */
final class TimeBuckets {
    private static final String PREFIX = "t-";
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final RocksDB db;
    private final ColumnFamilyOptions options;
    private final NavigableMap<LocalDate, ColumnFamilyHandle> handles = new ConcurrentSkipListMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    TimeBuckets(RocksDB db, ColumnFamilyOptions options) {
        this.db = db;
        this.options = options;
    }

    static boolean isBucketName(byte[] name) {
        return new String(name, StandardCharsets.US_ASCII).startsWith(PREFIX);
    }

    static LocalDate dayOf(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * The bucket day of a record to be written. Bucket names hold a four-digit year, so records outside the
     * years 0000-9999 cannot be placed (validation keeps them out; this keeps one from failing a whole batch).
     */
    static LocalDate storableDayOf(Instant timestamp) {
        LocalDate day = dayOf(timestamp);
        if (day.getYear() < 0 || day.getYear() > 9999) {
            throw new IllegalArgumentException("timestamp " + timestamp + " is outside the years 0000-9999");
        }
        return day;
    }

    /** Registers a bucket found when the database was opened. */
    void adopt(ColumnFamilyHandle handle) throws RocksDBException {
        String name = new String(handle.getName(), StandardCharsets.US_ASCII);
        handles.put(LocalDate.parse(name.substring(PREFIX.length()), DAY), handle);
    }

    Lock sharedLock() {
        return lock.readLock();
    }

    /** The bucket for {@code day}, created if absent. Caller holds the shared lock. */
    ColumnFamilyHandle forWrite(LocalDate day) throws RocksDBException {
        ColumnFamilyHandle handle = handles.get(day);
        if (handle == null) {
            synchronized (this) {
                handle = handles.get(day);
                if (handle == null) {
                    byte[] name = (PREFIX + DAY.format(day)).getBytes(StandardCharsets.US_ASCII);
                    handle = db.createColumnFamily(new ColumnFamilyDescriptor(name, options));
                    handles.put(day, handle);
                }
            }
        }
        return handle;
    }

    /** Buckets in day order. Caller holds the shared lock. */
    NavigableMap<LocalDate, ColumnFamilyHandle> all() {
        return handles;
    }

    /** Drops every bucket whose day matches; returns the days dropped. */
    List<LocalDate> dropWhere(Predicate<LocalDate> expired) throws RocksDBException {
        List<LocalDate> dropped = new ArrayList<>();
        lock.writeLock().lock();
        try {
            for (LocalDate day : List.copyOf(handles.keySet())) {
                if (expired.test(day)) {
                    ColumnFamilyHandle handle = handles.remove(day);
                    db.dropColumnFamily(handle);
                    handle.close();
                    dropped.add(day);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        return dropped;
    }

    void closeHandles() {
        handles.values().forEach(ColumnFamilyHandle::close);
        handles.clear();
    }
}
