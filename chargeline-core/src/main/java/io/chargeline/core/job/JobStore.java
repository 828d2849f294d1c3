package io.chargeline.core.job;

import io.chargeline.core.Page;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Durable jobs and their executions. Writes are durable when they return. */
public interface JobStore {
    /** Stores a new job with all its (pending) executions in one write. */
    void create(Job job, List<Execution> executions);

    void save(Job job);

    void save(Execution execution);

    Optional<Job> find(String jobId);

    /** Jobs, newest first, after {@code cursor} (a job id) when it is not null. */
    Page<Job> list(String cursor, int limit);

    /** A job's executions in charger-id order, after {@code cursor} (a charger id), optionally of one status. */
    Page<Execution> executions(String jobId, ExecutionStatus status, String cursor, int limit);

    /** Every execution of a job, for picking up a running job after a restart. */
    List<Execution> allExecutions(String jobId);

    /** Jobs not settled: in progress, or ended while executions still ran (stored without counts). */
    List<Job> running();

    /**
     * Deletes the settled jobs (final, with counts) that finished before {@code cutoff}, with their executions
     * (retention). Returns how many jobs went.
     */
    int deleteSettledBefore(Instant cutoff);
}
