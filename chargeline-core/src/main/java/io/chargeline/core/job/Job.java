package io.chargeline.core.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A firmware or software rollout to {@code targets} chargers (its executions name them; for {@code allChargers},
 * every charger provisioned when the job was created). {@code counts} are kept per execution status once the job
 * has no running execution left; while it has, they are live in {@link JobService}.
 */
public record Job(
        String id,
        Type type,
        String version,
        String url,
        String sha256,
        Long size,
        boolean allChargers,
        int targets,
        Rollout rollout,
        Abort abort,
        Duration timeout,
        JobStatus status,
        Instant createdAt,
        Instant finishedAt,
        String reason,
        Map<ExecutionStatus, Integer> counts) {

    public enum Type {
        FIRMWARE,
        SOFTWARE
    }

    /**
     * @param maxPerMinute how many executions start per minute at most
     * @param batchSize how many may run at once, or null for no limit beyond the rate
     */
    public record Rollout(int maxPerMinute, Integer batchSize) {}

    /** Abort once at least {@code minExecuted} finished and more than {@code failureRatio} of those failed. */
    public record Abort(double failureRatio, int minExecuted) {}

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(rollout, "rollout");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        counts = counts == null ? Map.of() : Map.copyOf(counts);
    }

    /** This job ended ({@code outcome}) at {@code at}; counts are set separately once nothing runs. */
    public Job finished(JobStatus outcome, Instant at, String why) {
        return new Job(id, type, version, url, sha256, size, allChargers, targets, rollout, abort, timeout, outcome,
                createdAt, at, why, counts);
    }

    public Job withCounts(Map<ExecutionStatus, Integer> finalCounts) {
        return new Job(id, type, version, url, sha256, size, allChargers, targets, rollout, abort, timeout, status,
                createdAt, finishedAt, reason, finalCounts);
    }
}
