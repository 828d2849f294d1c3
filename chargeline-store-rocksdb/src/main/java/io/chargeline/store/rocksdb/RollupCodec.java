package io.chargeline.store.rocksdb;

import io.chargeline.core.StorageException;
import io.chargeline.core.telemetry.FieldSummary;
import io.chargeline.core.telemetry.Rollup;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Rollup row values: {@code version, complete flag, field count}, then per field {@code name length (2), name UTF-8,
 * count, skipped} and, when count is above 0, {@code sum, min, max, first offset, first, last offset, last}, the
 * offsets in nanoseconds from the period start. One field can be read without decoding the others.
 */
final class RollupCodec {
    private static final byte VERSION = 1;
    private static final int VALUES_BYTES = 8 * 7;

    private RollupCodec() {}

    static byte[] encode(Rollup rollup, Instant periodStart) {
        Map<String, FieldSummary> fields = rollup.fields();
        int size = 1 + 1 + 4;
        Map<String, byte[]> names = new HashMap<>(fields.size() * 2);
        for (Map.Entry<String, FieldSummary> e : fields.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            names.put(e.getKey(), name);
            size += 2 + name.length + 16 + (e.getValue().count() > 0 ? VALUES_BYTES : 0);
        }
        ByteBuffer buf = ByteBuffer.allocate(size).put(VERSION).put((byte) (rollup.complete() ? 1 : 0))
                .putInt(fields.size());
        for (Map.Entry<String, FieldSummary> e : fields.entrySet()) {
            byte[] name = names.get(e.getKey());
            FieldSummary s = e.getValue();
            buf.putShort((short) name.length).put(name).putLong(s.count()).putLong(s.skipped());
            if (s.count() > 0) {
                buf.putDouble(s.sum()).putDouble(s.min()).putDouble(s.max())
                        .putLong(offset(periodStart, s.firstAt())).putDouble(s.first())
                        .putLong(offset(periodStart, s.lastAt())).putDouble(s.last());
            }
        }
        return buf.array();
    }

    static Rollup decode(byte[] value, Instant periodStart) {
        ByteBuffer buf = header(value);
        boolean complete = buf.get() == 1;
        int n = buf.getInt();
        Map<String, FieldSummary> fields = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            byte[] name = new byte[buf.getShort() & 0xFFFF];
            buf.get(name);
            fields.put(new String(name, StandardCharsets.UTF_8), summary(buf, periodStart));
        }
        return Rollup.of(fields, complete);
    }

    static boolean complete(byte[] value) {
        return value[1] == 1;
    }

    /** The summary of one field, or null when the period has none; other fields are skipped, not decoded. */
    static FieldSummary field(byte[] value, Instant periodStart, byte[] wanted) {
        ByteBuffer buf = header(value);
        buf.get();
        int n = buf.getInt();
        for (int i = 0; i < n; i++) {
            int length = buf.getShort() & 0xFFFF;
            boolean match = length == wanted.length && regionEquals(value, buf.position(), wanted);
            buf.position(buf.position() + length);
            if (match) {
                return summary(buf, periodStart);
            }
            long count = buf.getLong();
            buf.position(buf.position() + 8 + (count > 0 ? VALUES_BYTES : 0));
        }
        return null;
    }

    private static FieldSummary summary(ByteBuffer buf, Instant periodStart) {
        long count = buf.getLong();
        long skipped = buf.getLong();
        if (count == 0) {
            return FieldSummary.of(0, skipped, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, null, 0, null, 0);
        }
        double sum = buf.getDouble();
        double min = buf.getDouble();
        double max = buf.getDouble();
        Instant firstAt = periodStart.plusNanos(buf.getLong());
        double first = buf.getDouble();
        Instant lastAt = periodStart.plusNanos(buf.getLong());
        double last = buf.getDouble();
        return FieldSummary.of(count, skipped, sum, min, max, firstAt, first, lastAt, last);
    }

    private static ByteBuffer header(byte[] value) {
        if (value.length < 6 || value[0] != VERSION) {
            throw new StorageException("unknown rollup row version " + (value.length == 0 ? "(empty)" : value[0]), null);
        }
        return ByteBuffer.wrap(value, 1, value.length - 1);
    }

    private static boolean regionEquals(byte[] value, int at, byte[] wanted) {
        for (int i = 0; i < wanted.length; i++) {
            if (value[at + i] != wanted[i]) {
                return false;
            }
        }
        return true;
    }

    private static long offset(Instant periodStart, Instant at) {
        return (at.getEpochSecond() - periodStart.getEpochSecond()) * 1_000_000_000L + at.getNano();
    }
}
