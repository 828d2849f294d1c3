package io.chargeline.store.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Row keys of a time bucket: {@code chargerId UTF-8, 0x00, epochSecond (sign bit flipped), nanos}, so that
 * RocksDB's bytewise order is charger, then time. Charger ids never contain 0x00, so one id is never a
 * prefix of another's rows. Same (chargerId, timestamp) means the same key: a repeat overwrites.
 */
final class TelemetryKeys {
    private static final int TIME_BYTES = 12;

    private TelemetryKeys() {}

    static byte[] key(String chargerId, Instant timestamp) {
        byte[] id = chargerId.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(id.length + 1 + TIME_BYTES)
                .put(id)
                .put((byte) 0)
                .putLong(timestamp.getEpochSecond() ^ Long.MIN_VALUE)
                .putInt(timestamp.getNano())
                .array();
    }

    /** The first key after every row of {@code chargerId}. */
    static byte[] endOfCharger(String chargerId) {
        byte[] id = chargerId.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(id.length + 1).put(id).put((byte) 1).array();
    }

    static Instant timestamp(byte[] key) {
        ByteBuffer buf = ByteBuffer.wrap(key, key.length - TIME_BYTES, TIME_BYTES);
        return Instant.ofEpochSecond(buf.getLong() ^ Long.MIN_VALUE, buf.getInt());
    }

    static String chargerId(byte[] key) {
        return new String(key, 0, key.length - TIME_BYTES - 1, StandardCharsets.US_ASCII);
    }
}
