package io.chargeline.store.rocksdb;

import io.chargeline.core.telemetry.RollupPeriod;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Rollup row keys, kept in the day bucket of their period so retention drops them with the records: {@code 0x00,
 * period (1 minute, 2 hour), chargerId, 0x00, period start epochSecond (sign bit flipped)}. A leading 0x00 sorts
 * them before every record key (charger ids are printable), so record scans never meet them.
 */
final class RollupKeys {
    /** The first record key of a bucket: everything before it is a rollup. */
    static final byte[] FIRST_RECORD_KEY = {1};

    private RollupKeys() {}

    static byte[] key(RollupPeriod period, String chargerId, Instant start) {
        byte[] id = chargerId.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(2 + id.length + 1 + 8)
                .put((byte) 0)
                .put(code(period))
                .put(id)
                .put((byte) 0)
                .putLong(start.getEpochSecond() ^ Long.MIN_VALUE)
                .array();
    }

    /** The first key of {@code period}'s rows, and the first after them. */
    static byte[] firstOf(RollupPeriod period) {
        return new byte[] {0, code(period)};
    }

    static byte[] endOf(RollupPeriod period) {
        return new byte[] {0, (byte) (code(period) + 1)};
    }

    static Instant start(byte[] key) {
        return Instant.ofEpochSecond(ByteBuffer.wrap(key, key.length - 8, 8).getLong() ^ Long.MIN_VALUE);
    }

    static String chargerId(byte[] key) {
        return new String(key, 2, key.length - 2 - 1 - 8, StandardCharsets.US_ASCII);
    }

    private static byte code(RollupPeriod period) {
        return period == RollupPeriod.MINUTE ? (byte) 1 : (byte) 2;
    }
}
