package io.chargeline.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.chargeline.core.MutableClock;
import io.chargeline.core.OverloadedException;
import io.chargeline.core.Page;
import io.chargeline.core.StorageException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IngestPipelineTest {
    private static final Duration RETENTION = Duration.ofDays(90);
    private final Clock clock = Clock.systemUTC();
    private final TelemetryValidator validator = new TelemetryValidator(clock, RETENTION);
    private IngestPipeline pipeline;

    @AfterEach
    void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void accepted_completesOnlyAfterCommit_withProcessedAtStamped() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingStore store = new RecordingStore(release, false);
        pipeline = new IngestPipeline(store, validator, clock, IngestMetrics.NONE, PipelineSettings.DEFAULTS);

        CompletableFuture<IngestResult> done = pipeline.submit("telemetry/CH-1", "CH-1", payload("CH-1"), clock.instant());

        assertThat(done).isNotDone();
        release.countDown();
        assertThat(done.get(5, TimeUnit.SECONDS)).isEqualTo(IngestResult.STORED);
        assertThat(store.records).singleElement().satisfies(r -> assertThat(r.processedAt()).isNotNull());
    }

    @Test
    void invalid_becomesDurableDeadLetter_andCompletesAsRefused() throws Exception {
        RecordingStore store = new RecordingStore(new CountDownLatch(0), false);
        pipeline = new IngestPipeline(store, validator, clock, IngestMetrics.NONE, PipelineSettings.DEFAULTS);

        IngestResult result = pipeline.submit("telemetry/CH-1", "CH-1", "{oops".getBytes(StandardCharsets.UTF_8),
                clock.instant()).get(5, TimeUnit.SECONDS);

        assertThat(result).isInstanceOfSatisfying(IngestResult.Refused.class,
                r -> assertThat(r.reason()).isEqualTo(RejectReason.MalformedJson));
        assertThat(store.letters).singleElement().satisfies(l -> assertThat(l.reason()).isEqualTo(RejectReason.MalformedJson));
        assertThat(store.records).isEmpty();
    }

    @Test
    void failedCommit_failsEveryFutureOfTheBatch_degradesThenDownsTheStore() {
        MutableClock time = new MutableClock(Instant.now());
        RecordingStore store = new RecordingStore(new CountDownLatch(0), true);
        pipeline = new IngestPipeline(store, new TelemetryValidator(time, RETENTION), time, IngestMetrics.NONE,
                PipelineSettings.DEFAULTS);

        CompletableFuture<IngestResult> done = pipeline.submit("telemetry/CH-1", "CH-1", payload("CH-1"), time.instant());

        assertThatThrownBy(() -> done.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StorageException.class);
        CommitHealth.Report report = pipeline.commitHealth();
        assertThat(report.status()).isEqualTo(CommitHealth.Status.DEGRADED);
        assertThat(report.lastError()).isEqualTo("disk on fire");
        assertThat(report.failedCommits()).isEqualTo(1);
        time.advance(CommitHealth.DOWN_AFTER);
        assertThat(pipeline.commitHealth().status()).isEqualTo(CommitHealth.Status.DOWN);
        assertThat(pipeline.isRunning()).isTrue();
    }

    @Test
    void successAfterFailure_staysDegradedForAMinute_thenUp() throws Exception {
        MutableClock time = new MutableClock(Instant.now());
        RecordingStore store = new RecordingStore(new CountDownLatch(0), true);
        pipeline = new IngestPipeline(store, new TelemetryValidator(time, RETENTION), time, IngestMetrics.NONE,
                PipelineSettings.DEFAULTS);
        CompletableFuture<IngestResult> failed = pipeline.submit("telemetry/CH-1", "CH-1", payload("CH-1"), time.instant());
        assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(StorageException.class);

        store.fail = false;
        time.advance(Duration.ofSeconds(40));
        assertThat(pipeline.submit("telemetry/CH-1", "CH-1", payload("CH-1"), time.instant()).get(5, TimeUnit.SECONDS))
                .isEqualTo(IngestResult.STORED);

        assertThat(pipeline.commitHealth().status()).isEqualTo(CommitHealth.Status.DEGRADED);
        time.advance(CommitHealth.DEGRADED_FOR);
        assertThat(pipeline.commitHealth().status()).isEqualTo(CommitHealth.Status.UP);
    }

    @Test
    void unstorableRecord_becomesADeadLetter_andTheRecordsAroundItCommit() throws Exception {
        RecordingStore store = new RecordingStore(new CountDownLatch(1), false);
        store.unstorableCharger = "BAD";
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        pipeline = new IngestPipeline(store, validator, clock, IngestMetrics.NONE, PipelineSettings.DEFAULTS,
                change -> told.add(change.record().chargerId()));

        // the store holds the first commit, so all three share the second
        CompletableFuture<IngestResult> first = pipeline.submit("telemetry/A", "A", payload("A"), clock.instant());
        store.awaitFirstCommitStarted();
        CompletableFuture<IngestResult> bad = pipeline.submit("telemetry/BAD", "BAD", payload("BAD"), clock.instant());
        CompletableFuture<IngestResult> good = pipeline.submit("telemetry/B", "B", payload("B", 1), clock.instant());
        store.release.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(IngestResult.STORED);
        assertThat(good.get(5, TimeUnit.SECONDS)).isEqualTo(IngestResult.STORED);
        assertThat(bad.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(IngestResult.Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(RejectReason.Unstorable);
            assertThat(r.detail()).contains("cannot encode");
        });
        assertThat(store.records).extracting(TelemetryRecord::chargerId).containsExactly("A", "B");
        assertThat(store.letters).singleElement().satisfies(l -> {
            assertThat(l.reason()).isEqualTo(RejectReason.Unstorable);
            assertThat(l.topic()).isEqualTo("telemetry/BAD");
            assertThat(new String(l.payload(), StandardCharsets.UTF_8)).isEqualTo(new String(payload("BAD"), StandardCharsets.UTF_8));
        });
        // the change feed is told after the acknowledgements went out, so after the futures above completed
        await().atMost(Duration.ofSeconds(5)).until(() -> told.size() == 2);
        assertThat(told).containsExactly("A", "B");
        assertThat(pipeline.commitHealth().status()).isEqualTo(CommitHealth.Status.UP);
    }

    @Test
    void changes_areToldOnlyOnceTheRecordIsStored() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingStore store = new RecordingStore(release, false);
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        pipeline = new IngestPipeline(store, validator, clock, IngestMetrics.NONE, PipelineSettings.DEFAULTS,
                change -> told.add(change.record().chargerId()));

        CompletableFuture<IngestResult> done = pipeline.submit("telemetry/CH-1", "CH-1", payload("CH-1"), clock.instant());
        store.awaitFirstCommitStarted();

        assertThat(told).isEmpty();
        release.countDown();
        done.get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> told.size() == 1);
    }

    @Test
    void changes_areNeverToldOfAFailedCommit() {
        RecordingStore store = new RecordingStore(new CountDownLatch(0), true);
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        pipeline = new IngestPipeline(store, validator, clock, IngestMetrics.NONE, PipelineSettings.DEFAULTS,
                change -> told.add(change.record().chargerId()));

        CompletableFuture<IngestResult> done = pipeline.submit("telemetry/CH-1", "CH-1", payload("CH-1"), clock.instant());

        assertThatThrownBy(() -> done.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(StorageException.class);
        pipeline.close();
        assertThat(told).isEmpty();
    }

    @Test
    void aThrowingChangesListener_failsNoAcknowledgementAndNoLaterCommit() throws Exception {
        RecordingStore store = new RecordingStore(new CountDownLatch(0), false);
        pipeline = new IngestPipeline(store, validator, clock, IngestMetrics.NONE, PipelineSettings.DEFAULTS,
                change -> {
                    throw new IllegalStateException("listener bug");
                });

        assertThat(pipeline.submit("telemetry/CH-1", "CH-1", payload("CH-1"), clock.instant()).get(5, TimeUnit.SECONDS))
                .isEqualTo(IngestResult.STORED);
        assertThat(pipeline.submit("telemetry/CH-1", "CH-1", payload("CH-1", 1), clock.instant()).get(5, TimeUnit.SECONDS))
                .isEqualTo(IngestResult.STORED);
        assertThat(pipeline.commitHealth().status()).isEqualTo(CommitHealth.Status.UP);
    }

    @Test
    void commitFailingBeforeTheGatewayLooks_isNotReportedAsOverload() throws Exception {
        RecordingStore store = new RecordingStore(new CountDownLatch(0), true);
        pipeline = new IngestPipeline(store, validator, clock, IngestMetrics.NONE, PipelineSettings.DEFAULTS);

        IngestPipeline.Submission submission = pipeline.accept("telemetry/CH-1", "CH-1", payload("CH-1"), clock.instant());
        // the writer fails it quickly; a gateway that looks only now must still see a storage failure
        assertThatThrownBy(() -> submission.durable().get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(StorageException.class);

        assertThat(submission.overloaded()).isFalse();
        assertThat(submission.rejected()).isNull();
    }

    @Test
    void fullQueue_refusesAsOverloadedAtOnce_andTellsAWaiterOnceThereIsRoomAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingStore store = new RecordingStore(release, false);
        PipelineSettings tiny = new PipelineSettings(2, TelemetryValidator.MAX_PAYLOAD_BYTES, 1);
        pipeline = new IngestPipeline(store, validator, clock, IngestMetrics.NONE, tiny);
        List<CompletableFuture<IngestResult>> accepted = new ArrayList<>();

        // one is held by the blocked writer, two fill the queue
        for (int i = 0; i < 3; i++) {
            accepted.add(pipeline.submit("telemetry/CH-1", "CH-1", payload("CH-1", i), clock.instant()));
            store.awaitFirstCommitStarted();
        }
        IngestPipeline.Submission refused = pipeline.accept("telemetry/CH-1", "CH-1", payload("CH-1", 9), clock.instant());

        assertThat(refused.overloaded()).isTrue();
        assertThatThrownBy(() -> refused.durable().get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(OverloadedException.class);
        CountDownLatch room = new CountDownLatch(1);
        pipeline.whenRoom(room::countDown);
        assertThat(room.getCount()).as("no room while the writer is blocked").isEqualTo(1);
        release.countDown();
        assertThat(room.await(5, TimeUnit.SECONDS)).isTrue();
        for (CompletableFuture<IngestResult> f : accepted) {
            assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo(IngestResult.STORED);
        }
        assertThat(store.records).hasSize(3);
    }

    @Test
    void changes_carryTheReceiveTimeOfValidTelemetryOnly() throws Exception {
        RecordingStore store = new RecordingStore(new CountDownLatch(0), false);
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        pipeline = new IngestPipeline(store, validator, clock, IngestMetrics.NONE, PipelineSettings.DEFAULTS,
                change -> told.add(change.record().chargerId() + "@" + change.record().receivedAt()));
        Instant receivedAt = Instant.now().minusSeconds(30); // the payload's own timestamp is an hour earlier

        pipeline.submit("telemetry/CH-1", "CH-1", payload("CH-1"), receivedAt).get(5, TimeUnit.SECONDS);
        pipeline.submit("telemetry/CH-2", "CH-2", "{oops".getBytes(StandardCharsets.UTF_8), receivedAt).get(5, TimeUnit.SECONDS);

        assertThat(told).containsExactly("CH-1@" + receivedAt);
    }

    @Test
    void changes_carryTheRecordAsStored_withItsCommitTime() throws Exception {
        RecordingStore store = new RecordingStore(new CountDownLatch(0), false);
        List<TelemetryRecord> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        pipeline = new IngestPipeline(store, validator, clock, IngestMetrics.NONE, PipelineSettings.DEFAULTS,
                change -> told.add(change.record()));

        pipeline.submit("telemetry/CH-1", "CH-1", payload("CH-1"), clock.instant()).get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> told.size() == 1); // told after the acknowledgement
        assertThat(told.get(0).processedAt()).isNotNull();
        assertThat(told).containsExactlyElementsOf(store.records);
    }

    @Test
    void close_commitsWhatWasQueued() throws Exception {
        RecordingStore store = new RecordingStore(new CountDownLatch(0), false);
        pipeline = new IngestPipeline(store, validator, clock, IngestMetrics.NONE, PipelineSettings.DEFAULTS);
        List<CompletableFuture<IngestResult>> all = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            all.add(pipeline.submit("telemetry/CH-1", "CH-1", payload("CH-1", i), clock.instant()));
        }

        pipeline.close();

        for (CompletableFuture<IngestResult> f : all) {
            assertThat(f).isCompletedWithValue(IngestResult.STORED);
        }
        assertThat(store.records).hasSize(500);
    }

    private static byte[] payload(String id) {
        return payload(id, 0);
    }

    private static byte[] payload(String id, int second) {
        Instant ts = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minus(Duration.ofHours(1))
                .plusSeconds(second);
        return ("{\"chargerId\":\"" + id + "\",\"timestamp\":\"" + ts + "\",\"data\":{\"v\":1}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A store that keeps what it is given in memory, waits on a latch per commit, or always fails. */
    private static final class RecordingStore extends InMemoryTelemetryStore {
        final List<TelemetryRecord> records = new ArrayList<>();
        final List<DeadLetter> letters = new ArrayList<>();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release;
        volatile boolean fail;
        /** Records of this charger are reported as ones the store cannot encode. */
        volatile String unstorableCharger;

        RecordingStore(CountDownLatch release, boolean fail) {
            this.release = release;
            this.fail = fail;
        }

        void awaitFirstCommitStarted() throws InterruptedException {
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public synchronized List<Unstorable> commit(List<TelemetryRecord> batch, List<DeadLetter> deadLetters) {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (fail) {
                throw new StorageException("disk on fire", null);
            }
            List<Unstorable> unstorable = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).chargerId().equals(unstorableCharger)) {
                    unstorable.add(new Unstorable(i, "the store cannot encode this record: test"));
                } else {
                    records.add(batch.get(i));
                }
            }
            letters.addAll(deadLetters);
            return unstorable;
        }
    }
}
