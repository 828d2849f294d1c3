package io.chargeline.core.job;

import java.time.Instant;
import java.util.Objects;

/**
 * One charger's update within a job. {@code commandId} is its {@code update} command once started; {@code
 * progress} (0..100) and {@code step} come from the charger's IN_PROGRESS replies; {@code detail} says why it
 * ended as it did, when there is more to say.
 */
public record Execution(
        String jobId,
        String chargerId,
        ExecutionStatus status,
        String commandId,
        Integer progress,
        String step,
        Instant startedAt,
        Instant finishedAt,
        String detail) {

    public Execution {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(chargerId, "chargerId");
        Objects.requireNonNull(status, "status");
    }

    public static Execution pending(String jobId, String chargerId) {
        return new Execution(jobId, chargerId, ExecutionStatus.PENDING, null, null, null, null, null, null);
    }

    public Execution started(String commandId, Instant at) {
        return new Execution(jobId, chargerId, ExecutionStatus.QUEUED, commandId, 0, null, at, null, null);
    }

    /** This execution with {@code next} status and progress; final statuses are final. */
    public Execution moved(ExecutionStatus next, Integer newProgress, String newStep, Instant at, String why) {
        if (status.isFinal()) {
            return this;
        }
        return new Execution(jobId, chargerId, next, commandId, newProgress == null ? progress : newProgress,
                newStep == null ? step : newStep, startedAt, next.isFinal() ? at : null, why == null ? detail : why);
    }
}
