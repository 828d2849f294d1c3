package io.chargeline.app;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes on the command line and in the start-up log: bytes, or a whole number of KiB, MiB or GiB. */
final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d+)\\s*(KiB|MiB|GiB)?\\s*");
    private static final String[] UNITS = {"GiB", "MiB", "KiB"};

    private ByteSizes() {}

    /** {@code 1048576}, {@code 512KiB}, {@code 512MiB}, {@code 2GiB}. */
    static long parse(String raw, String flag) {
        Matcher m = SIZE.matcher(raw);
        if (!m.matches()) {
            throw new IllegalArgumentException(flag + " must be a number of bytes, optionally with KiB, MiB or GiB, was "
                    + raw);
        }
        long unit = m.group(2) == null ? 1 : switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            default -> 1L << 30;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(flag + " is too large: " + raw);
        }
    }

    /** The largest unit that divides {@code bytes} exactly: {@code 512MiB}, {@code 1536KiB}, {@code 1000}. */
    static String format(long bytes) {
        for (int i = 0; i < UNITS.length; i++) {
            long unit = 1L << (10 * (UNITS.length - i));
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + UNITS[i];
            }
        }
        return Long.toString(bytes);
    }
}
