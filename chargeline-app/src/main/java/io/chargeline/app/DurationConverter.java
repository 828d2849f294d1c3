package io.chargeline.app;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The one way every flag and {@code CHARGELINE_*} variable of the CLI takes a duration: the short form people type
 * ({@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 90d}) or ISO-8601 ({@code PT5M}, {@code P90D}).
 * Registered for {@link Duration} on the whole command line, so picocli names the flag in its error.
 */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Override
    public Duration convert(String text) {
        return parse(text);
    }

    static Duration parse(String text) {
        String raw = text == null ? "" : text.strip();
        Duration parsed;
        try {
            parsed = raw.startsWith("P") || raw.startsWith("p") ? Duration.parse(raw) : parseShort(raw);
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            parsed = null;
        }
        if (parsed == null) {
            throw new TypeConversionException("'" + raw + "' is not a duration; use a number with a unit (250ms, 10s, "
                    + "5m, 1h, 90d) or ISO-8601 (PT5M, P90D)");
        }
        if (parsed.isNegative()) {
            throw new TypeConversionException("'" + raw + "' is negative; a duration must be zero or more");
        }
        return parsed;
    }

    /** ISO-8601, in whole days when it is whole days ({@code P90D} rather than {@code PT2160H}). */
    static String format(Duration d) {
        long days = d.toDays();
        Duration rest = d.minusDays(days);
        if (days == 0 || d.isNegative()) {
            return d.toString();
        }
        return rest.isZero() ? "P" + days + "D" : "P" + days + "D" + rest.toString().substring(1);
    }

    private static Duration parseShort(String raw) {
        Matcher m = SHORT.matcher(raw);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
