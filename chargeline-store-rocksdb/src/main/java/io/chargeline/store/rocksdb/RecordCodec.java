package io.chargeline.store.rocksdb;

import io.chargeline.core.StorageException;
import io.chargeline.core.telemetry.TelemetryRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Row values: {@code version 1, receivedAt, processedAt, has-data flag, data JSON}, or for a corrected record
 * {@code version 2} with {@code updatedAt} after {@code processedAt}. Key fields live in the key.
 */
final class RecordCodec {
    private static final byte INGESTED = 1;
    private static final byte CORRECTED = 2;
    private static final int HEADER = 1 + 12 + 12 + 1;
    private static final int CORRECTED_HEADER = HEADER + 12;

    private RecordCodec() {}

    static byte[] encode(TelemetryRecord record) {
        byte[] data = record.dataJson() == null ? new byte[0] : record.dataJson().getBytes(StandardCharsets.UTF_8);
        boolean corrected = record.updatedAt() != null;
        ByteBuffer buf = ByteBuffer.allocate((corrected ? CORRECTED_HEADER : HEADER) + data.length)
                .put(corrected ? CORRECTED : INGESTED);
        putInstant(buf, record.receivedAt());
        putInstant(buf, record.processedAt());
        if (corrected) {
            putInstant(buf, record.updatedAt());
        }
        return buf.put((byte) (record.dataJson() == null ? 0 : 1)).put(data).array();
    }

    static TelemetryRecord decode(byte[] key, byte[] value) {
        ByteBuffer buf = ByteBuffer.wrap(value);
        int header = headerOf(value);
        buf.get();
        Instant receivedAt = getInstant(buf);
        Instant processedAt = getInstant(buf);
        Instant updatedAt = header == CORRECTED_HEADER ? getInstant(buf) : null;
        boolean hasData = buf.get() == 1;
        String data = hasData
                ? new String(value, header, value.length - header, StandardCharsets.UTF_8)
                : null;
        return new TelemetryRecord(TelemetryKeys.chargerId(key), TelemetryKeys.timestamp(key), data, receivedAt,
                processedAt, updatedAt);
    }

    /** Whether two encoded rows hold the same data (receive, commit and correction times aside). */
    static boolean sameData(byte[] a, byte[] b) {
        int ha = headerOf(a);
        int hb = headerOf(b);
        return java.util.Arrays.equals(a, ha - 1, a.length, b, hb - 1, b.length);
    }

    private static int headerOf(byte[] value) {
        if (value.length > 0 && value[0] == INGESTED) {
            return HEADER;
        }
        if (value.length > 0 && value[0] == CORRECTED) {
            return CORRECTED_HEADER;
        }
        throw new StorageException("unknown telemetry row version " + (value.length == 0 ? "(empty)" : value[0]), null);
    }

    static void putInstant(ByteBuffer buf, Instant instant) {
        buf.putLong(instant.getEpochSecond()).putInt(instant.getNano());
    }

    static Instant getInstant(ByteBuffer buf) {
        return Instant.ofEpochSecond(buf.getLong(), buf.getInt());
    }
}
