package io.chargeline.core.alarm;

import io.chargeline.core.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A value rule: a THRESHOLD alarm is raised for a charger when its telemetry field {@code field} (a key of
 * {@code data}, dotted for nested objects) keeps satisfying {@code op value} for {@code forDuration}, and
 * cleared by the first value that does not.
 */
public record AlarmRule(String id, String field, Op op, double value, Duration forDuration, Instant createdAt) {
    private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_-]{1,64}(\\.[A-Za-z0-9_-]{1,64}){0,4}");
    public static final Duration MAX_FOR = Duration.ofDays(1);

    /** Comparison of the telemetry value (left) with the rule's value (right). */
    public enum Op {
        GT(">"), GE(">="), LT("<"), LE("<="), EQ("=="), NE("!=");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public boolean test(double actual, double limit) {
            return switch (this) {
                case GT -> actual > limit;
                case GE -> actual >= limit;
                case LT -> actual < limit;
                case LE -> actual <= limit;
                case EQ -> actual == limit;
                case NE -> actual != limit;
            };
        }

        public static Op fromSymbol(String symbol) {
            for (Op op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            throw new InvalidRequestException("op must be one of >, >=, <, <=, ==, !=");
        }
    }

    /** Checks what an operator sent; throws {@link InvalidRequestException} naming the problem. */
    public static void validate(String field, double value, Duration forDuration) {
        if (field == null || !FIELD.matcher(field).matches()) {
            throw new InvalidRequestException("field must name a data field, e.g. temperature or battery.soc "
                    + "(letters, digits, _ and -, up to 5 levels)");
        }
        if (!Double.isFinite(value)) {
            throw new InvalidRequestException("value must be a finite number");
        }
        if (forDuration.isNegative() || forDuration.compareTo(MAX_FOR) > 0) {
            throw new InvalidRequestException("for must be between PT0S and P1D");
        }
    }

    /** How the alarm describes the breach, e.g. {@code temperature > 80.0 for PT1M}. */
    public String describe() {
        return field + " " + op.symbol + " " + value + (forDuration.isZero() ? "" : " for " + forDuration);
    }
}
