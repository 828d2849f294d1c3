package io.chargeline.store.rocksdb;

import io.chargeline.core.StorageException;
import io.chargeline.core.alarm.AlarmStore;
import io.chargeline.core.artifact.ArtifactStore;
import io.chargeline.core.audit.AuditLog;
import io.chargeline.core.command.CommandStore;
import io.chargeline.core.device.DeviceRegistry;
import io.chargeline.core.job.JobStore;
import io.chargeline.core.presence.PresenceLog;
import io.chargeline.core.telemetry.TelemetryStore;
import io.chargeline.core.webhook.WebhookStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: one RocksDB database holding telemetry, dead letters, devices, alarms, webhooks,
 * operators, commands, jobs, artifact metadata and the audit log. Owns every native handle and closes them in order.
 */
public final class RocksDbStorage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RocksDbStorage.class);
    private static final byte[] LATEST = "latest".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DEAD_LETTERS = "dead-letters".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DEVICES = "devices".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ALARMS = "alarms".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHARGER_SETTINGS = "charger-settings".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WEBHOOKS = "webhooks".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WEBHOOK_DELIVERIES = "webhook-deliveries".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ALARM_RULES = "alarm-rules".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PRESENCE = "presence".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OPERATORS = "operators".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMANDS = "commands".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMANDS_OPEN = "commands-open".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JOBS = "jobs".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JOB_EXECUTIONS = "job-executions".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ARTIFACTS = "artifacts".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ALARM_EVENTS = "alarm-events".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ALARM_FEEDS = "alarm-feeds".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AUDIT = "audit".getBytes(StandardCharsets.US_ASCII);
    private static final int FIXED_FAMILIES = 19;

    static {
        RocksDB.loadLibrary();
    }

    private final List<AutoCloseable> natives = new ArrayList<>();
    private final List<ColumnFamilyHandle> fixedHandles = new ArrayList<>();
    private final RocksDB db;
    private final TimeBuckets buckets;
    private final RocksDbTelemetryStore telemetry;
    private final RocksDbDeviceRegistry devices;
    private final RocksDbAlarmStore alarms;
    private final RocksDbWebhookStore webhooks;
    private final RocksDbPresenceLog presence;
    private final RocksDbDeviceRegistry operators;
    private final RocksDbCommandStore commands;
    private final RocksDbJobStore jobs;
    private final RocksDbArtifactStore artifacts;
    private final RocksDbAuditLog audit;

    private RocksDbStorage(Path dir, Duration retention, int maxDeadLetters) throws RocksDBException {
        LRUCache cache = own(new LRUCache(128L * 1024 * 1024));
        BloomFilter bloom = own(new BloomFilter(10, false));
        ColumnFamilyOptions cfOptions = own(new ColumnFamilyOptions()
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom)));
        DBOptions dbOptions = own(new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                // cap the WAL so old day buckets don't pin log files after their last write
                .setMaxTotalWalSize(64L * 1024 * 1024)
                .setKeepLogFileNum(5)
                .setIncreaseParallelism(2));
        WriteOptions syncWrites = own(new WriteOptions().setSync(true));
        WriteOptions unsyncedWrites = own(new WriteOptions());

        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(LATEST, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(DEAD_LETTERS, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(DEVICES, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(ALARMS, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(CHARGER_SETTINGS, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(WEBHOOKS, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(WEBHOOK_DELIVERIES, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(ALARM_RULES, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(PRESENCE, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(OPERATORS, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(COMMANDS, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(COMMANDS_OPEN, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(JOBS, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(JOB_EXECUTIONS, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(ARTIFACTS, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(ALARM_EVENTS, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(ALARM_FEEDS, cfOptions));
        descriptors.add(new ColumnFamilyDescriptor(AUDIT, cfOptions));
        for (byte[] name : existingColumnFamilies(dir)) {
            if (TimeBuckets.isBucketName(name)) {
                descriptors.add(new ColumnFamilyDescriptor(name, cfOptions));
            }
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        this.db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        this.buckets = new TimeBuckets(db, cfOptions);
        for (int i = 0; i < handles.size(); i++) {
            if (i < FIXED_FAMILIES) {
                fixedHandles.add(handles.get(i));
            } else {
                buckets.adopt(handles.get(i));
            }
        }
        RollupBackfill.runIfNeeded(db, buckets, handles.get(0), syncWrites);
        this.telemetry = new RocksDbTelemetryStore(db, buckets, handles.get(0), handles.get(1), handles.get(2),
                syncWrites, retention, maxDeadLetters);
        this.devices = new RocksDbDeviceRegistry(db, handles.get(3), syncWrites);
        this.alarms = new RocksDbAlarmStore(db, handles.get(0), handles.get(4), handles.get(5), handles.get(8),
                handles.get(16), handles.get(17), syncWrites, unsyncedWrites);
        this.webhooks = new RocksDbWebhookStore(db, handles.get(6), handles.get(7), syncWrites);
        this.presence = new RocksDbPresenceLog(db, handles.get(9), unsyncedWrites);
        this.operators = new RocksDbDeviceRegistry(db, handles.get(10), syncWrites);
        this.commands = new RocksDbCommandStore(db, handles.get(11), handles.get(12), syncWrites);
        this.jobs = new RocksDbJobStore(db, handles.get(13), handles.get(14), syncWrites);
        this.artifacts = new RocksDbArtifactStore(db, handles.get(15), syncWrites);
        this.audit = new RocksDbAuditLog(db, handles.get(18), syncWrites);
    }

    /**
     * Opens (or creates) the store under {@code dir}.
     *
     * @param retention how long telemetry is kept
     * @param maxDeadLetters how many refused messages are kept (newest win)
     */
    public static RocksDbStorage open(Path dir, Duration retention, int maxDeadLetters) {
        Objects.requireNonNull(dir, "dir");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
        try {
            Files.createDirectories(dir);
            RocksDbStorage storage = new RocksDbStorage(dir, retention, maxDeadLetters);
            LOG.info("store: RocksDB {} opened at {} ({} day buckets)", RocksDB.rocksdbVersion(), dir,
                    storage.buckets.all().size());
            return storage;
        } catch (RocksDBException | java.io.IOException e) {
            throw new StorageException("cannot open the store at " + dir + ": " + e.getMessage(), e);
        }
    }

    public TelemetryStore telemetry() {
        return telemetry;
    }

    public DeviceRegistry devices() {
        return devices;
    }

    public AlarmStore alarms() {
        return alarms;
    }

    public WebhookStore webhooks() {
        return webhooks;
    }

    /** Operators (alarm watchers), by name, in the same row format as devices. */
    public DeviceRegistry operators() {
        return operators;
    }

    public CommandStore commands() {
        return commands;
    }

    public JobStore jobs() {
        return jobs;
    }

    public ArtifactStore artifacts() {
        return artifacts;
    }

    public AuditLog audit() {
        return audit;
    }

    public PresenceLog presence() {
        return presence;
    }

    private static List<byte[]> existingColumnFamilies(Path dir) throws RocksDBException {
        if (!Files.exists(dir.resolve("CURRENT"))) {
            return List.of();
        }
        try (Options options = new Options()) {
            return RocksDB.listColumnFamilies(options, dir.toString());
        }
    }

    private <T extends AutoCloseable> T own(T nativeObject) {
        natives.add(nativeObject);
        return nativeObject;
    }

    @Override
    public void close() {
        buckets.sharedLock().lock();
        try {
            db.syncWal();
            buckets.closeHandles();
            fixedHandles.forEach(ColumnFamilyHandle::close);
            db.closeE();
        } catch (RocksDBException e) {
            LOG.warn("store: close reported {}", e.getMessage());
        } finally {
            buckets.sharedLock().unlock();
        }
        for (int i = natives.size() - 1; i >= 0; i--) {
            try {
                natives.get(i).close();
            } catch (Exception e) {
                LOG.debug("store: closing a native handle failed", e);
            }
        }
        LOG.info("store: closed");
    }
}
