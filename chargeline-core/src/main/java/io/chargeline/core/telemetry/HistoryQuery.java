package io.chargeline.core.telemetry;

import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.device.ChargerIds;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A time-range read of one charger's records: {@code from} inclusive, {@code to} exclusive, at most
 * {@code limit} records, resuming after the record named by {@code cursor} when one is given.
 */
public record HistoryQuery(String chargerId, Instant from, Instant to, int limit, boolean descending, String cursor) {
    public static final int MAX_LIMIT = 1000;

    public HistoryQuery {
        ChargerIds.require(chargerId);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new InvalidRequestException("from must be before to");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT);
        }
        if (cursor != null) {
            decodeCursor(cursor);
        }
    }

    /** Where the next page starts (exclusive), or {@code null} for the first page. */
    public Instant after() {
        return cursor == null ? null : decodeCursor(cursor);
    }

    /** The opaque cursor that resumes a listing after the record with this timestamp. */
    public static String cursorAfter(Instant timestamp) {
        ByteBuffer buf = ByteBuffer.allocate(12).putLong(timestamp.getEpochSecond()).putInt(timestamp.getNano());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
    }

    private static Instant decodeCursor(String cursor) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(cursor);
            if (bytes.length != 12) {
                throw new IllegalArgumentException("length");
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            return Instant.ofEpochSecond(buf.getLong(), buf.getInt());
        } catch (RuntimeException e) {
            throw new InvalidRequestException("cursor is not one this server issued");
        }
    }
}
