package io.chargeline.core.telemetry;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How Chargeline writes an instant into the JSON it produces (API responses, webhook bodies, MQTT events, command
 * payloads): ISO-8601 UTC with exactly three fractional digits, {@code 2026-12-01T22:18:49.695Z}. Clocks here tick in
 * nanoseconds and {@link Instant#toString} prints anything from none to nine digits, which the docs do not promise
 * and some receivers' parsers refuse. Stored values keep their full precision; only the rendering is cut.
 */
public final class JsonTimestamps {
    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter UTC_MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter UTC_NANOS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private JsonTimestamps() {}

    /** {@code instant} as {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, or null for null. */
    public static String format(Instant instant) {
        return instant == null ? null : UTC_MILLIS.format(instant);
    }

    /**
     * A telemetry record's own timestamp, which is part of its identity: milliseconds as everywhere, but finer
     * digits a charger sent are kept (six or nine), so it reads back as the instant it was stored under.
     */
    public static String formatRecordTimestamp(Instant timestamp) {
        int nanos = timestamp.getNano();
        DateTimeFormatter format = nanos % 1_000_000 == 0 ? UTC_MILLIS : nanos % 1_000 == 0 ? UTC_MICROS : UTC_NANOS;
        return format.format(timestamp);
    }
}
