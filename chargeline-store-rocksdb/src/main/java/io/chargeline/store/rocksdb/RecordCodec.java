package io.chargeline.store.rocksdb;

import io.chargeline.core.StorageException;
import io.chargeline.core.telemetry.TelemetryRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Row values: {@code version, receivedAt, processedAt, data JSON (may be absent)}. Key fields live in the key. */
final class RecordCodec {
    private static final byte VERSION = 1;
    private static final int HEADER = 1 + 12 + 12 + 1;

    private RecordCodec() {}

    static byte[] encode(TelemetryRecord record) {
        byte[] data = record.dataJson() == null ? new byte[0] : record.dataJson().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(HEADER + data.length).put(VERSION);
        putInstant(buf, record.receivedAt());
        putInstant(buf, record.processedAt());
        return buf.put((byte) (record.dataJson() == null ? 0 : 1)).put(data).array();
    }

    static TelemetryRecord decode(byte[] key, byte[] value) {
        ByteBuffer buf = ByteBuffer.wrap(value);
        if (buf.get() != VERSION) {
            throw new StorageException("unknown telemetry row version " + value[0], null);
        }
        Instant receivedAt = getInstant(buf);
        Instant processedAt = getInstant(buf);
        boolean hasData = buf.get() == 1;
        String data = hasData
                ? new String(value, HEADER, value.length - HEADER, StandardCharsets.UTF_8)
                : null;
        return new TelemetryRecord(
                TelemetryKeys.chargerId(key), TelemetryKeys.timestamp(key), data, receivedAt, processedAt);
    }

    /** Whether two encoded rows hold the same data (receive and commit times aside). */
    static boolean sameData(byte[] a, byte[] b) {
        return java.util.Arrays.equals(a, HEADER - 1, a.length, b, HEADER - 1, b.length);
    }

    static void putInstant(ByteBuffer buf, Instant instant) {
        buf.putLong(instant.getEpochSecond()).putInt(instant.getNano());
    }

    static Instant getInstant(ByteBuffer buf) {
        return Instant.ofEpochSecond(buf.getLong(), buf.getInt());
    }
}
