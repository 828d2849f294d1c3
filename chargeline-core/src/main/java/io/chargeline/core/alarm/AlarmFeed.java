package io.chargeline.core.alarm;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An operator client's persistent alarm subscription, kept in the alarm store so that neither its absence nor a
 * server restart loses an event: what it subscribed to, the newest event it acknowledged (null: none yet), and
 * since when it has been away (null while connected).
 */
public record AlarmFeed(String clientId, Set<String> filters, Duration expiry, String ackedEventId,
        Instant awaySince) {
    public AlarmFeed {
        Objects.requireNonNull(clientId, "clientId");
        filters = Set.copyOf(filters);
        Objects.requireNonNull(expiry, "expiry");
    }
}
