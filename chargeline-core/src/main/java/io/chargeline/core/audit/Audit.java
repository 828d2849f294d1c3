package io.chargeline.core.audit;

import io.chargeline.core.Page;
import io.chargeline.core.timing.TimeOrderedIds;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records who changed what, after the change is made, and lists it. */
public final class Audit {
    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);

    private final AuditLog log;
    private final Clock clock;
    private final TimeOrderedIds ids = new TimeOrderedIds();

    public Audit(AuditLog log, Clock clock) {
        this.log = Objects.requireNonNull(log, "log");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Records a change that was made. The change stands even if recording fails (the store said it is done), so a
     * failure is logged as an error with everything the entry held, rather than reported to the caller as if the
     * change had not happened.
     */
    public void record(Actor who, String action, String chargerId, String detailJson) {
        Instant now = clock.instant();
        AuditEntry entry = new AuditEntry(ids.next(now), now, who.name(), who.address(), action, chargerId, detailJson);
        try {
            log.append(entry);
        } catch (RuntimeException e) {
            LOG.error("audit: could not record {}", entry, e);
        }
    }

    public Page<AuditEntry> list(String cursor, int limit) {
        return log.list(cursor, limit);
    }
}
