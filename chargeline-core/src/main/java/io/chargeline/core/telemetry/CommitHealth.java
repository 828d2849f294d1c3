package io.chargeline.core.telemetry;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether the ingest writer's commits are succeeding, for {@code /health}. One failure among successes is a
 * degraded store for a minute; failures with no success in between for longer than {@link #DOWN_AFTER} are a
 * store that is down. Written by the writer thread, read by any.
 */
public final class CommitHealth {
    /** How long a failed commit keeps the store degraded. */
    public static final Duration DEGRADED_FOR = Duration.ofMinutes(1);
    /** How long commits must fail without a success in between before the store counts as down. */
    public static final Duration DOWN_AFTER = Duration.ofSeconds(30);

    public enum Status {
        UP,
        DEGRADED,
        DOWN
    }

    /**
     * @param lastFailureAt when a commit last failed, null if none has
     * @param lastError that failure's message
     * @param failedCommits commits that failed since start
     */
    public record Report(Status status, Instant lastFailureAt, String lastError, long failedCommits) {}

    private Instant failingSince;
    private Instant lastFailureAt;
    private String lastError;
    private long failedCommits;

    synchronized void succeeded() {
        failingSince = null;
    }

    synchronized void failed(Instant at, String error) {
        if (failingSince == null) {
            failingSince = at;
        }
        lastFailureAt = at;
        lastError = error;
        failedCommits++;
    }

    public synchronized Report report(Instant now) {
        Status status = Status.UP;
        if (failingSince != null && !now.isBefore(failingSince.plus(DOWN_AFTER))) {
            status = Status.DOWN;
        } else if (lastFailureAt != null && now.isBefore(lastFailureAt.plus(DEGRADED_FOR))) {
            status = Status.DEGRADED;
        }
        return new Report(status, lastFailureAt, lastError, failedCommits);
    }
}
