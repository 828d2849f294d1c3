package io.chargeline.store.rocksdb;

import io.chargeline.core.Page;
import io.chargeline.core.StorageException;
import io.chargeline.core.device.Device;
import io.chargeline.core.device.DeviceRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/** Devices keyed by charger id (or operators by name, in their own family); every write synced. */
final class RocksDbDeviceRegistry implements DeviceRegistry {
    private static final byte VERSION = 1;

    private final RocksDB db;
    private final ColumnFamilyHandle devices;
    private final WriteOptions syncWrites;

    RocksDbDeviceRegistry(RocksDB db, ColumnFamilyHandle devices, WriteOptions syncWrites) {
        this.db = db;
        this.devices = devices;
        this.syncWrites = syncWrites;
    }

    @Override
    public void put(Device device) {
        try {
            db.put(devices, syncWrites, key(device.chargerId()), encode(device));
        } catch (RocksDBException e) {
            throw new StorageException("RocksDB write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Device> find(String chargerId) {
        try {
            byte[] value = db.get(devices, key(chargerId));
            return value == null ? Optional.empty() : Optional.of(decode(chargerId, value));
        } catch (RocksDBException e) {
            throw new StorageException("RocksDB read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Page<Device> list(String afterChargerId, int limit) {
        List<Device> out = new ArrayList<>();
        String next = null;
        try (RocksIterator it = db.newIterator(devices)) {
            if (afterChargerId == null) {
                it.seekToFirst();
            } else {
                it.seek(key(afterChargerId));
                if (it.isValid() && new String(it.key(), StandardCharsets.US_ASCII).equals(afterChargerId)) {
                    it.next();
                }
            }
            for (; it.isValid(); it.next()) {
                if (out.size() == limit) {
                    next = out.get(out.size() - 1).chargerId();
                    break;
                }
                out.add(decode(new String(it.key(), StandardCharsets.US_ASCII), it.value()));
            }
        }
        return new Page<>(out, next);
    }

    private static byte[] key(String chargerId) {
        return chargerId.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] encode(Device d) {
        byte[] serial = d.certificateSerial().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buf = ByteBuffer.allocate(1 + 4 + serial.length + 12 * 3 + 1);
        buf.put(VERSION).putInt(serial.length).put(serial);
        RecordCodec.putInstant(buf, d.createdAt());
        RecordCodec.putInstant(buf, d.notAfter());
        buf.put((byte) (d.isRevoked() ? 1 : 0));
        RecordCodec.putInstant(buf, d.isRevoked() ? d.revokedAt() : Instant.EPOCH);
        return buf.array();
    }

    private static Device decode(String chargerId, byte[] value) {
        ByteBuffer buf = ByteBuffer.wrap(value);
        if (buf.get() != VERSION) {
            throw new StorageException("unknown device row version " + value[0], null);
        }
        byte[] serial = new byte[buf.getInt()];
        buf.get(serial);
        Instant created = RecordCodec.getInstant(buf);
        Instant notAfter = RecordCodec.getInstant(buf);
        boolean revoked = buf.get() == 1;
        Instant revokedAt = RecordCodec.getInstant(buf);
        return new Device(chargerId, new String(serial, StandardCharsets.US_ASCII), created, notAfter,
                revoked ? revokedAt : null);
    }
}
