package io.chargeline.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.chargeline.core.Page;
import io.chargeline.core.job.Execution;
import io.chargeline.core.job.ExecutionStatus;
import io.chargeline.core.job.Job;
import io.chargeline.core.job.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RocksDbJobStoreTest extends StorageFixture {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void jobsAndExecutions_roundTrip_page_andOnlyUnsettledJobsAreRunning_acrossReopen() {
        Job first = job("0000000000000001", JobStatus.IN_PROGRESS, Map.of());
        Job settled = job("0000000000000002", JobStatus.COMPLETED, Map.of(ExecutionStatus.SUCCEEDED, 2));
        Job abortedStillRunning = job("0000000000000003", JobStatus.ABORTED, Map.of());
        storage.jobs().create(first, List.of(Execution.pending(first.id(), "CH-2"), Execution.pending(first.id(), "CH-1"),
                Execution.pending(first.id(), "CH-3")));
        storage.jobs().save(settled);
        storage.jobs().save(abortedStillRunning);
        Execution started = Execution.pending(first.id(), "CH-2").started("00000000000000aa", T0)
                .moved(ExecutionStatus.IN_PROGRESS, 40, "downloading", T0.plusSeconds(1), null);
        storage.jobs().save(started);

        reopen();

        assertThat(storage.jobs().find(settled.id())).contains(settled);
        assertThat(storage.jobs().find(first.id())).contains(first);
        Page<Job> page = storage.jobs().list(null, 2);
        assertThat(page.items()).extracting(Job::id).containsExactly(abortedStillRunning.id(), settled.id());
        assertThat(storage.jobs().list(page.nextCursor(), 2).items()).extracting(Job::id).containsExactly(first.id());
        assertThat(storage.jobs().running()).extracting(Job::id).containsExactly(first.id(), abortedStillRunning.id());
        assertThat(storage.jobs().allExecutions(first.id())).extracting(Execution::chargerId)
                .containsExactly("CH-1", "CH-2", "CH-3");
        assertThat(storage.jobs().executions(first.id(), ExecutionStatus.IN_PROGRESS, null, 10).items())
                .containsExactly(started);
        Page<Execution> executions = storage.jobs().executions(first.id(), null, null, 2);
        assertThat(executions.nextCursor()).isEqualTo("CH-2");
        assertThat(storage.jobs().executions(first.id(), null, "CH-2", 2).items()).extracting(Execution::chargerId)
                .containsExactly("CH-3");
    }

    @Test
    void retention_deletesSettledJobsFinishedBeforeTheCutoff_withTheirExecutions_andNothingElse() {
        Job settled = job("0000000000000001", JobStatus.COMPLETED, Map.of(ExecutionStatus.SUCCEEDED, 2));
        Job endedStillRunning = job("0000000000000002", JobStatus.CANCELLED, Map.of());
        Job running = job("0000000000000003", JobStatus.IN_PROGRESS, Map.of());
        for (Job j : List.of(settled, endedStillRunning, running)) {
            storage.jobs().create(j, List.of(Execution.pending(j.id(), "CH-1"), Execution.pending(j.id(), "CH-2")));
        }

        assertThat(storage.jobs().deleteSettledBefore(T0.plusSeconds(60))).isZero(); // finished exactly at the cutoff
        int deleted = storage.jobs().deleteSettledBefore(T0.plusSeconds(61));
        reopen();

        assertThat(deleted).isEqualTo(1);
        assertThat(storage.jobs().find(settled.id())).isEmpty();
        assertThat(storage.jobs().allExecutions(settled.id())).isEmpty();
        assertThat(storage.jobs().find(endedStillRunning.id())).contains(endedStillRunning);
        assertThat(storage.jobs().allExecutions(endedStillRunning.id())).hasSize(2);
        assertThat(storage.jobs().allExecutions(running.id())).hasSize(2);
        assertThat(storage.jobs().list(null, 10).items()).extracting(Job::id)
                .containsExactly(running.id(), endedStillRunning.id());
    }

    private static Job job(String id, JobStatus status, Map<ExecutionStatus, Integer> counts) {
        return new Job(id, Job.Type.FIRMWARE, "2.0.0", "https://x/fw.bin", "a".repeat(64), 10L, false, 3,
                new Job.Rollout(100, 5), new Job.Abort(0.1, 20), Duration.ofMinutes(30), status, T0,
                status.isFinal() ? T0.plusSeconds(60) : null, null, counts);
    }
}
