package io.chargeline.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chargeline.core.ConflictException;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.MutableClock;
import io.chargeline.core.command.Command;
import io.chargeline.core.command.CommandMetrics;
import io.chargeline.core.command.CommandService;
import io.chargeline.core.command.CommandStatus;
import io.chargeline.core.command.TestStores;
import io.chargeline.core.device.DeviceService;
import io.chargeline.core.device.FakeCertificateIssuer;
import io.chargeline.core.device.InMemoryDeviceRegistry;
import io.chargeline.core.telemetry.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobServiceTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final String SHA = "a".repeat(64);

    private final MutableClock clock = new MutableClock(T0);
    private final DeviceService devices = new DeviceService(new InMemoryDeviceRegistry(), new FakeCertificateIssuer(), clock);
    /** Chargers are offline in these tests, so no channel: their update commands stay QUEUED until answered. */
    private final CommandService commands = new CommandService(TestStores.commands(), devices, clock, CommandMetrics.NONE);
    private final InMemoryJobStore store = new InMemoryJobStore();
    private JobService jobs = new JobService(store, devices, commands, clock);

    @AfterEach
    void close() {
        jobs.close();
        commands.close();
    }

    @Test
    void rollout_startsNoMoreThanMaxPerMinute() {
        provision("CH-1", "CH-2", "CH-3");
        Job job = jobs.create(spec(List.of("CH-1", "CH-2", "CH-3"), new Job.Rollout(2, null), null));

        runDue();
        assertThat(started(job)).isEqualTo(1);
        assertThat(jobs.executions(ExecutionStatus.PENDING)).isEqualTo(2);
        assertThat(jobs.executions(ExecutionStatus.QUEUED)).isEqualTo(1);
        clock.set(T0.plusSeconds(30).minusMillis(1));
        runDue();
        assertThat(started(job)).isEqualTo(1);
        clock.set(T0.plusSeconds(30));
        runDue();
        assertThat(started(job)).isEqualTo(2);
        clock.set(T0.plusSeconds(90)); // a late wake-up does not start a burst
        runDue();
        assertThat(started(job)).isEqualTo(3);
        Command update = commands.find("CH-1", store.executions.get(job.id() + "/CH-1").commandId());
        assertThat(update.name()).isEqualTo("update");
        assertThat(update.payloadJson()).contains("\"version\":\"2.0.0\"", "\"sha256\":\"" + SHA + "\"",
                "\"type\":\"firmware\"", "\"jobId\":\"" + job.id() + "\"");
        assertThat(update.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
    }

    @Test
    void batchSize_holdsTheNextUntilOneFinishes_andRepliesDriveProgress() throws Exception {
        provision("CH-1", "CH-2");
        Job job = jobs.create(spec(List.of("CH-1", "CH-2"), new Job.Rollout(60_000, 1), null));
        runDue();
        clock.set(T0.plusSeconds(10));
        runDue();
        assertThat(started(job)).isEqualTo(1);

        reply("CH-1", job, "{\"status\":\"IN_PROGRESS\",\"result\":{\"progress\":50,\"step\":\"installing\"}}");
        Execution halfway = store.executions.get(job.id() + "/CH-1");
        assertThat(halfway.status()).isEqualTo(ExecutionStatus.IN_PROGRESS);
        assertThat(halfway.progress()).isEqualTo(50);
        assertThat(halfway.step()).isEqualTo("installing");
        reply("CH-1", job, "{\"status\":\"SUCCEEDED\",\"result\":{\"version\":\"2.0.0\"}}");
        runDue();
        assertThat(started(job)).isEqualTo(2);
        reply("CH-2", job, "{\"status\":\"SUCCEEDED\"}");

        Job done = jobs.find(job.id());
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.counts()).containsEntry(ExecutionStatus.SUCCEEDED, 2);
        assertThat(store.find(job.id()).orElseThrow().counts()).containsEntry(ExecutionStatus.SUCCEEDED, 2);
        assertThat(jobs.runningJobs()).isZero();
        assertThat(jobs.executions(ExecutionStatus.SUCCEEDED)).isZero(); // only running jobs count
    }

    @Test
    void theNewVersionInTelemetry_finishesTheExecution() {
        provision("CH-1");
        Job job = jobs.create(spec(List.of("CH-1"), new Job.Rollout(100, null), null));
        runDue();

        jobs.telemetryReceived(record("CH-1", "{\"firmware\":\"1.0.0\"}"));
        commands.drain();
        jobs.drain();
        assertThat(store.executions.get(job.id() + "/CH-1").status()).isEqualTo(ExecutionStatus.QUEUED);
        jobs.telemetryReceived(record("CH-1", "{\"firmware\":\"2.0.0\"}"));
        commands.drain();
        jobs.drain();

        assertThat(store.executions.get(job.id() + "/CH-1").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(jobs.find(job.id()).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void crossingTheFailureRatio_abortsAndCancelsWhatHasNotStarted() throws Exception {
        provision("CH-1", "CH-2", "CH-3", "CH-4");
        Job job = jobs.create(spec(List.of("CH-1", "CH-2", "CH-3", "CH-4"), new Job.Rollout(60_000, null),
                new Job.Abort(0.5, 2)));
        runDue();
        clock.set(T0.plusMillis(1));
        runDue();
        clock.set(T0.plusMillis(2));
        runDue();
        assertThat(started(job)).isEqualTo(3);

        reply("CH-1", job, "{\"status\":\"FAILED\",\"result\":{\"error\":\"sha256 mismatch\"}}");
        assertThat(jobs.find(job.id()).status()).isEqualTo(JobStatus.IN_PROGRESS); // 1 executed: below minExecuted
        reply("CH-2", job, "{\"status\":\"REJECTED\",\"result\":{\"reason\":\"charging\"}}");

        Job aborted = jobs.find(job.id());
        assertThat(aborted.status()).isEqualTo(JobStatus.ABORTED);
        assertThat(aborted.reason()).contains("2 of 2 failed");
        assertThat(store.executions.get(job.id() + "/CH-4").status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(store.executions.get(job.id() + "/CH-3").status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(store.executions.get(job.id() + "/CH-1").detail()).isEqualTo("sha256 mismatch");
        assertThat(commands.find("CH-3", store.executions.get(job.id() + "/CH-3").commandId()).status())
                .isEqualTo(CommandStatus.CANCELLED);
        assertThat(store.find(job.id()).orElseThrow().counts())
                .containsEntry(ExecutionStatus.FAILED, 1).containsEntry(ExecutionStatus.REJECTED, 1)
                .containsEntry(ExecutionStatus.CANCELLED, 2);
        assertThatThrownBy(() -> jobs.cancel(job.id())).isInstanceOf(ConflictException.class);
    }

    @Test
    void cancel_stopsTheRollout_andARestartPicksUpARunningJob() throws Exception {
        provision("CH-1", "CH-2", "CH-3");
        Job job = jobs.create(spec(List.of("CH-1", "CH-2", "CH-3"), new Job.Rollout(1, null), null));
        runDue();
        jobs.close();
        jobs = new JobService(store, devices, commands, clock); // a restart of the job service
        clock.set(T0.plusSeconds(60));
        runDue();
        assertThat(started(job)).isEqualTo(2);
        reply("CH-1", job, "{\"status\":\"SUCCEEDED\"}"); // the restarted service still follows the first

        Job cancelled = jobs.cancel(job.id());

        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        commands.drain();
        jobs.drain();
        assertThat(store.executions.get(job.id() + "/CH-1").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(store.executions.get(job.id() + "/CH-2").status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(store.executions.get(job.id() + "/CH-3").status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(jobs.find(job.id()).counts()).containsEntry(ExecutionStatus.SUCCEEDED, 1)
                .containsEntry(ExecutionStatus.CANCELLED, 2);
    }

    @Test
    void cancel_returnsTheJobWithItsCancellationsCounted() {
        provision("CH-1", "CH-2", "CH-3");
        Job job = jobs.create(spec(List.of("CH-1", "CH-2", "CH-3"), new Job.Rollout(60_000, null), null));
        runDue();
        clock.set(T0.plusMillis(1));
        runDue();
        assertThat(jobs.find(job.id()).counts()).containsEntry(ExecutionStatus.QUEUED, 2)
                .containsEntry(ExecutionStatus.PENDING, 1);

        Job cancelled = jobs.cancel(job.id());

        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.counts()).containsEntry(ExecutionStatus.CANCELLED, 3);
        assertThat(cancelled.counts().getOrDefault(ExecutionStatus.QUEUED, 0)).isZero();
        assertThat(cancelled.counts().getOrDefault(ExecutionStatus.PENDING, 0)).isZero();
        assertThat(jobs.find(job.id()).counts()).isEqualTo(cancelled.counts());
        assertThat(store.executions.get(job.id() + "/CH-1").status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(commands.find("CH-2", store.executions.get(job.id() + "/CH-2").commandId()).status())
                .isEqualTo(CommandStatus.CANCELLED);
        commands.drain();
        jobs.drain(); // the command service's own notice of each cancel changes nothing more
        assertThat(jobs.find(job.id()).counts()).isEqualTo(cancelled.counts());
        assertThat(jobs.runningJobs()).isZero();
        for (ExecutionStatus status : ExecutionStatus.values()) {
            assertThat(jobs.executions(status)).as(status.name()).isZero();
        }
    }

    @Test
    void aStopBetweenIssuingTheUpdateAndRecordingIt_adoptsThatUpdate_insteadOfSendingASecond() throws Exception {
        provision("CH-1", "CH-2");
        Job job = jobs.create(spec(List.of("CH-1", "CH-2"), new Job.Rollout(1, null), null));
        runDue();
        jobs.close();
        // what startNext wrote before the stop: the command, but not yet the execution pointing to it
        Command issued = commands.issue("CH-2", "update", "{\"jobId\":\"" + job.id() + "\",\"version\":\"2.0.0\"}",
                Duration.ofMinutes(30));
        commands.drain();
        assertThat(store.executions.get(job.id() + "/CH-2").status()).isEqualTo(ExecutionStatus.PENDING);

        jobs = new JobService(store, devices, commands, clock); // the restart
        clock.set(T0.plusSeconds(120));
        runDue();

        Execution adopted = store.executions.get(job.id() + "/CH-2");
        assertThat(adopted.commandId()).isEqualTo(issued.id());
        assertThat(adopted.status()).isEqualTo(ExecutionStatus.QUEUED);
        assertThat(commands.list("CH-2", null, null, 10).items()).extracting(Command::id).containsExactly(issued.id());
        reply("CH-2", job, "{\"status\":\"SUCCEEDED\"}");
        assertThat(store.executions.get(job.id() + "/CH-2").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void anUpdateThatOutlivesTheTimeout_isTimedOut_andCountsAsAFailure() {
        provision("CH-1", "CH-2");
        Job job = jobs.create(spec(List.of("CH-1", "CH-2"), new Job.Rollout(60_000, 1), new Job.Abort(0.5, 1)));
        runDue();

        clock.set(T0.plus(Duration.ofMinutes(30)));
        commands.expireDue();
        commands.drain();
        jobs.drain();

        assertThat(store.executions.get(job.id() + "/CH-1").status()).isEqualTo(ExecutionStatus.TIMED_OUT);
        Job aborted = jobs.find(job.id());
        assertThat(aborted.status()).isEqualTo(JobStatus.ABORTED);
        assertThat(aborted.counts()).containsEntry(ExecutionStatus.TIMED_OUT, 1).containsEntry(ExecutionStatus.CANCELLED, 1);
    }

    @Test
    void badSpecs_areRefusedWithTheReason() {
        provision("CH-1");
        devices.provision("CH-gone", null);
        devices.revoke("CH-gone");
        assertThatThrownBy(() -> jobs.create(spec(List.of("CH-1", "CH-x", "CH-gone"), new Job.Rollout(10, null), null)))
                .isInstanceOf(InvalidRequestException.class).hasMessage("not provisioned or revoked: CH-x, CH-gone");
        assertThatThrownBy(() -> jobs.create(spec(List.of(), new Job.Rollout(10, null), null)))
                .hasMessageContaining("at least one id");
        assertThatThrownBy(() -> jobs.create(spec(List.of("CH-1"), new Job.Rollout(0, null), null)))
                .hasMessageContaining("maxPerMinute");
        assertThatThrownBy(() -> jobs.create(spec(List.of("CH-1"), new Job.Rollout(10, null), new Job.Abort(1.5, 1))))
                .hasMessageContaining("failureRatio");
        assertThatThrownBy(() -> jobs.create(new JobSpec(Job.Type.FIRMWARE, "2.0.0", "ftp://x/y", SHA, null,
                List.of("CH-1"), false, new Job.Rollout(10, null), null, Duration.ofMinutes(30))))
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> jobs.create(new JobSpec(Job.Type.FIRMWARE, "2.0.0", "https://x/y", "abc", null,
                List.of("CH-1"), false, new Job.Rollout(10, null), null, Duration.ofMinutes(30))))
                .hasMessageContaining("sha256");
        Job all = jobs.create(new JobSpec(Job.Type.SOFTWARE, "7", "https://x/y", SHA, 10L, null, true,
                new Job.Rollout(10, null), null, Duration.ofMinutes(30)));
        assertThat(all.targets()).isEqualTo(1); // CH-1 only: the revoked charger is not a target
    }

    private void provision(String... ids) {
        for (String id : ids) {
            devices.provision(id, null);
        }
    }

    private static JobSpec spec(List<String> chargers, Job.Rollout rollout, Job.Abort abort) {
        return new JobSpec(Job.Type.FIRMWARE, "2.0.0", "https://updates.example.com/fw-2.0.0.bin", SHA, 1_000_000L,
                chargers, false, rollout, abort, Duration.ofMinutes(30));
    }

    private void runDue() {
        jobs.runDue();
        jobs.drain();
        commands.drain();
        jobs.drain();
    }

    private long started(Job job) {
        return store.allExecutions(job.id()).stream().filter(e -> e.status() != ExecutionStatus.PENDING).count();
    }

    private void reply(String chargerId, Job job, String json) throws Exception {
        String commandId = store.executions.get(job.id() + "/" + chargerId).commandId();
        commands.reply(chargerId, commandId, json.getBytes(StandardCharsets.UTF_8)).durable().get(5, TimeUnit.SECONDS);
        commands.drain();
        jobs.drain();
    }

    private static TelemetryRecord record(String chargerId, String data) {
        return new TelemetryRecord(chargerId, T0, data, T0, T0);
    }
}
