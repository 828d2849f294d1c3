package io.chargeline.core.timing;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Ids that sort in creation order: 16 hex digits, milliseconds then a sequence, so a store keyed by id lists
 * newest first by iterating backwards. Unique within one process (one generator per kind of record).
 */
public final class TimeOrderedIds {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{16}");

    private long lastMillis;
    private long sequence;

    public synchronized String next(Instant at) {
        long millis = Math.max(at.toEpochMilli(), lastMillis);
        if (millis != lastMillis) {
            lastMillis = millis;
            sequence = 0;
        } else if (sequence > 0xffff) {
            lastMillis = ++millis; // more than 65,536 in one millisecond: borrow the next one
            sequence = 0;
        }
        return format(millis, sequence++);
    }

    /** Makes every later id sort after {@code id}, one made by an earlier process, whatever the clock says now. */
    public synchronized void continueAfter(String id) {
        long millis = Long.parseLong(id.substring(0, 12), 16);
        long nextSequence = Long.parseLong(id.substring(12), 16) + 1;
        if (millis > lastMillis || millis == lastMillis && nextSequence > sequence) {
            lastMillis = millis;
            sequence = nextSequence;
        }
    }

    /** The smallest id of {@code at}'s millisecond: ids made earlier sort before it, ids made then or later not. */
    public static String firstAt(Instant at) {
        return format(Math.max(0, at.toEpochMilli()), 0);
    }

    private static String format(long millis, long sequence) {
        return String.format("%012x%04x", millis, sequence);
    }

    /** Whether {@code id} has the form of an id made here (for validating cursors and path parameters). */
    public static boolean isWellFormed(String id) {
        return id != null && FORM.matcher(id).matches();
    }
}
