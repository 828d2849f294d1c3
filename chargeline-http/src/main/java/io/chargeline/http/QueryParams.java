package io.chargeline.http;

import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.NotFoundException;
import io.chargeline.core.device.ChargerIds;
import io.chargeline.core.timing.TimeOrderedIds;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Query-parameter parsing with errors that name the parameter and the expected form. */
final class QueryParams {
    private QueryParams() {}

    /** The default page size of every list. */
    static final int DEFAULT_LIMIT = 100;
    /** The largest page of every list. */
    static final int MAX_LIMIT = 1000;

    /** The {@code limit} of any list: 1 to {@link #MAX_LIMIT}, {@link #DEFAULT_LIMIT} when absent. */
    static int limit(Context ctx) {
        String raw = ctx.queryParam("limit");
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidRequestException("limit must be an integer from 1 to " + MAX_LIMIT);
    }

    /** The last key the {@code cursor} parameter names in {@code list}'s form, or null for the first page. */
    static String cursor(Context ctx, ListCursor list) {
        return list.decode(ctx.queryParam("cursor"));
    }

    /**
     * A path parameter holding a time-ordered id (alarms, rules, webhooks). Anything not of that form cannot
     * name one, so it is the same 404 as an id that does not exist.
     */
    static String timeOrderedId(Context ctx, String param, String what) {
        String id = ctx.pathParam(param);
        if (!TimeOrderedIds.isWellFormed(id)) {
            throw new NotFoundException("no " + what + " " + id);
        }
        return id;
    }

    /**
     * The required {@code chargerIds} parameter: comma-separated charger ids, at most {@code max} distinct ones, in
     * the order given (repeats dropped).
     */
    static List<String> chargerIds(Context ctx, int max) {
        String raw = ctx.queryParam("chargerIds");
        if (raw == null || raw.isEmpty()) {
            throw new InvalidRequestException("chargerIds is required: comma-separated charger ids, at most " + max);
        }
        Set<String> ids = new LinkedHashSet<>();
        String[] all = raw.split(",", -1);
        for (int i = 0; i < all.length; i++) {
            if (!ChargerIds.isValid(all[i])) {
                throw new InvalidRequestException("chargerIds: entry " + (i + 1) + " is not a charger id; each must "
                        + "match ^[A-Za-z0-9_-]{1,128}$");
            }
            ids.add(all[i]);
        }
        if (ids.size() > max) {
            throw new InvalidRequestException("chargerIds names " + ids.size() + " chargers; at most " + max
                    + " per request");
        }
        return List.copyOf(ids);
    }

    /** How far back {@link #timeRange} reaches when {@code from} is absent. */
    static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

    /** A {@code from} (inclusive) to {@code to} (exclusive) range of record timestamps. */
    record TimeRange(Instant from, Instant to) {}

    /**
     * The {@code from} and {@code to} of telemetry reads: {@code to} defaults to just after now, {@code from} to
     * {@link #DEFAULT_WINDOW} before {@code to}; {@code from} must come first.
     */
    static TimeRange timeRange(Context ctx, Clock clock) {
        Instant to = instant(ctx, "to", clock.instant().plusSeconds(1));
        Instant from = instant(ctx, "from", to.minus(DEFAULT_WINDOW));
        if (!from.isBefore(to)) {
            throw new InvalidRequestException("from must be before to");
        }
        return new TimeRange(from, to);
    }

    static Instant instant(Context ctx, String name, Instant defaultValue) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return defaultValue;
        }
        try {
            // an unencoded "+" in an offset arrives as a space
            return OffsetDateTime.parse(raw.replace(" ", "+"), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + " must be ISO-8601 with a zone, e.g. 2026-02-10T19:58:24Z");
        }
    }

    static boolean descending(Context ctx) {
        String raw = ctx.queryParam("order");
        if (raw == null || raw.equals("asc")) {
            return false;
        }
        if (raw.equals("desc")) {
            return true;
        }
        throw new InvalidRequestException("order must be asc or desc");
    }

    /** An optional parameter naming one of {@code type}'s constants, in any case. */
    static <E extends Enum<E>> E enumValue(Context ctx, String name, Class<E> type) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(name + " must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    /** An ISO-8601 duration from a parameter or body field, with an error that names it and shows an example. */
    static Duration duration(String name, String raw, String example) {
        try {
            return Duration.parse(raw);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + " must be an ISO-8601 duration such as " + example + ", was " + raw);
        }
    }
}
