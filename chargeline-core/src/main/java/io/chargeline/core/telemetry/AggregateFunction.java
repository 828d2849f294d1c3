package io.chargeline.core.telemetry;

import io.chargeline.core.InvalidRequestException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What an aggregate bucket can report of its values. */
public enum AggregateFunction {
    AVG,
    MIN,
    MAX,
    SUM,
    COUNT,
    FIRST,
    LAST;

    /** The functions a fleet aggregate offers: first and last have no meaning across chargers. */
    public static final Set<AggregateFunction> ACROSS_CHARGERS = EnumSet.of(AVG, MIN, MAX, SUM, COUNT);

    /** Reads {@code fn=avg,max}: absent means {@code allowed}, all of them. */
    public static Set<AggregateFunction> parse(String raw, Set<AggregateFunction> allowed) {
        if (raw == null || raw.isEmpty()) {
            return EnumSet.copyOf(allowed);
        }
        Set<AggregateFunction> out = EnumSet.noneOf(AggregateFunction.class);
        for (String name : raw.split(",", -1)) {
            AggregateFunction fn = Arrays.stream(values())
                    .filter(f -> f.label().equals(name.toLowerCase(Locale.ROOT))).findFirst().orElse(null);
            if (fn == null || !allowed.contains(fn)) {
                throw new InvalidRequestException("fn must be a comma-separated list of "
                        + allowed.stream().map(AggregateFunction::label).collect(Collectors.joining(", ")) + "; got '"
                        + name + "'");
            }
            out.add(fn);
        }
        return out;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
