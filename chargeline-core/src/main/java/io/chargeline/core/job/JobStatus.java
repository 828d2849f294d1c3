package io.chargeline.core.job;

public enum JobStatus {
    IN_PROGRESS,
    /** Every execution finished. */
    COMPLETED,
    /** The failure ratio was crossed; pending executions were cancelled. */
    ABORTED,
    /** An operator cancelled it; pending executions were cancelled. */
    CANCELLED;

    public boolean isFinal() {
        return this != IN_PROGRESS;
    }
}
