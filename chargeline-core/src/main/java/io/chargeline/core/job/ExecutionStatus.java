package io.chargeline.core.job;

import io.chargeline.core.command.CommandStatus;

/** One charger's part of a job: PENDING until the rollout reaches it, then its update command's status. */
public enum ExecutionStatus {
    PENDING,
    QUEUED,
    SENT,
    DELIVERED,
    IN_PROGRESS,
    SUCCEEDED,
    FAILED,
    REJECTED,
    /** Its update did not finish within the job's timeout. */
    TIMED_OUT,
    /** The job was cancelled or aborted before it finished. */
    CANCELLED;

    public boolean isFinal() {
        return ordinal() >= SUCCEEDED.ordinal();
    }

    /** Started and not finished: counts against the rollout's batch size. */
    public boolean isRunning() {
        return this != PENDING && !isFinal();
    }

    /** Counts toward the abort ratio. */
    public boolean isFailure() {
        return this == FAILED || this == REJECTED || this == TIMED_OUT;
    }

    public static ExecutionStatus of(CommandStatus command) {
        return switch (command) {
            case QUEUED -> QUEUED;
            case SENT -> SENT;
            case DELIVERED -> DELIVERED;
            case IN_PROGRESS -> IN_PROGRESS;
            case SUCCEEDED -> SUCCEEDED;
            case FAILED -> FAILED;
            case REJECTED -> REJECTED;
            case EXPIRED -> TIMED_OUT;
            case CANCELLED -> CANCELLED;
        };
    }
}
