package io.chargeline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    private final Clock clock = Clock.systemUTC();
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
        pipeline = new IngestPipeline(store, clock, IngestMetrics.NONE, PipelineSettings.DEFAULTS);

        CompletableFuture<IngestResult> done = pipeline.submit("telemetry/CH-1", "CH-1", payload("CH-1"), clock.instant());

        assertThat(done).isNotDone();
        release.countDown();
        assertThat(done.get(5, TimeUnit.SECONDS)).isEqualTo(IngestResult.STORED);
        assertThat(store.records).singleElement().satisfies(r -> assertThat(r.processedAt()).isNotNull());
    }

    @Test
    void invalid_becomesDurableDeadLetter_andCompletesAsRefused() throws Exception {
        RecordingStore store = new RecordingStore(new CountDownLatch(0), false);
        pipeline = new IngestPipeline(store, clock, IngestMetrics.NONE, PipelineSettings.DEFAULTS);

        IngestResult result = pipeline.submit("telemetry/CH-1", "CH-1", "{oops".getBytes(StandardCharsets.UTF_8),
                clock.instant()).get(5, TimeUnit.SECONDS);

        assertThat(result).isInstanceOfSatisfying(IngestResult.Refused.class,
                r -> assertThat(r.reason()).isEqualTo(RejectReason.MalformedJson));
        assertThat(store.letters).singleElement().satisfies(l -> assertThat(l.reason()).isEqualTo(RejectReason.MalformedJson));
        assertThat(store.records).isEmpty();
    }

    @Test
    void failedCommit_failsEveryFutureOfTheBatch_andMarksUnhealthy() {
        RecordingStore store = new RecordingStore(new CountDownLatch(0), true);
        pipeline = new IngestPipeline(store, clock, IngestMetrics.NONE, PipelineSettings.DEFAULTS);

        CompletableFuture<IngestResult> done = pipeline.submit("telemetry/CH-1", "CH-1", payload("CH-1"), clock.instant());

        assertThatThrownBy(() -> done.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StorageException.class);
        assertThat(pipeline.isHealthy()).isFalse();
    }

    @Test
    void commitFailingBeforeTheGatewayLooks_isNotReportedAsOverload() throws Exception {
        RecordingStore store = new RecordingStore(new CountDownLatch(0), true);
        pipeline = new IngestPipeline(store, clock, IngestMetrics.NONE, PipelineSettings.DEFAULTS);

        IngestPipeline.Submission submission = pipeline.accept("telemetry/CH-1", "CH-1", payload("CH-1"), clock.instant());
        // the writer fails it quickly; a gateway that looks only now must still see a storage failure
        assertThatThrownBy(() -> submission.durable().get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(StorageException.class);

        assertThat(submission.overloaded()).isFalse();
        assertThat(submission.rejected()).isNull();
    }

    @Test
    void fullQueue_refusesAsOverloaded_afterTheOfferTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingStore store = new RecordingStore(release, false);
        PipelineSettings tiny = new PipelineSettings(2, TelemetryValidator.MAX_PAYLOAD_BYTES, 1, Duration.ofMillis(50));
        pipeline = new IngestPipeline(store, clock, IngestMetrics.NONE, tiny);
        List<CompletableFuture<IngestResult>> accepted = new ArrayList<>();

        // one is held by the blocked writer, two fill the queue
        for (int i = 0; i < 3; i++) {
            accepted.add(pipeline.submit("telemetry/CH-1", "CH-1", payload("CH-1", i), clock.instant()));
            store.awaitFirstCommitStarted();
        }
        IngestPipeline.Submission refused = pipeline.accept("telemetry/CH-1", "CH-1", payload("CH-1", 9), clock.instant());

        assertThat(refused.overloaded()).isTrue();
        assertThatThrownBy(() -> refused.durable().get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(OverloadedException.class);
        release.countDown();
        for (CompletableFuture<IngestResult> f : accepted) {
            assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo(IngestResult.STORED);
        }
        assertThat(store.records).hasSize(3);
    }

    @Test
    void arrivals_areToldTheReceiveTimeOfValidTelemetryOnly() throws Exception {
        RecordingStore store = new RecordingStore(new CountDownLatch(0), false);
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        pipeline = new IngestPipeline(store, clock, IngestMetrics.NONE, PipelineSettings.DEFAULTS,
                record -> told.add(record.chargerId() + "@" + record.receivedAt()));
        Instant receivedAt = Instant.parse("2026-11-27T10:00:00Z"); // the payload's own timestamp is in February

        pipeline.submit("telemetry/CH-1", "CH-1", payload("CH-1"), receivedAt).get(5, TimeUnit.SECONDS);
        pipeline.submit("telemetry/CH-2", "CH-2", "{oops".getBytes(StandardCharsets.UTF_8), receivedAt).get(5, TimeUnit.SECONDS);

        assertThat(told).containsExactly("CH-1@" + receivedAt);
    }

    @Test
    void close_commitsWhatWasQueued() throws Exception {
        RecordingStore store = new RecordingStore(new CountDownLatch(0), false);
        pipeline = new IngestPipeline(store, clock, IngestMetrics.NONE, PipelineSettings.DEFAULTS);
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
        Instant ts = Instant.parse("2026-02-10T19:58:00Z").plusSeconds(second);
        return ("{\"chargerId\":\"" + id + "\",\"timestamp\":\"" + ts + "\",\"data\":{\"v\":1}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A store that keeps what it is given in memory, waits on a latch per commit, or always fails. */
    private static final class RecordingStore implements TelemetryStore {
        final List<TelemetryRecord> records = new ArrayList<>();
        final List<DeadLetter> letters = new ArrayList<>();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release;
        final boolean fail;

        RecordingStore(CountDownLatch release, boolean fail) {
            this.release = release;
            this.fail = fail;
        }

        void awaitFirstCommitStarted() throws InterruptedException {
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public synchronized void commit(List<TelemetryRecord> batch, List<DeadLetter> deadLetters) {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (fail) {
                throw new StorageException("disk on fire", null);
            }
            records.addAll(batch);
            letters.addAll(deadLetters);
        }

        @Override
        public Optional<TelemetryRecord> latest(String chargerId) {
            return Optional.empty();
        }

        @Override
        public Page<TelemetryRecord> history(HistoryQuery query) {
            return new Page<>(List.of(), null);
        }

        @Override
        public long count(String chargerId, Instant from, Instant to) {
            return 0;
        }

        @Override
        public java.util.Map<String, Instant> lastReceived() {
            return java.util.Map.of(); // liveness is not under test here
        }

        @Override
        public List<DeadLetter> recentDeadLetters(int limit) {
            return List.of();
        }

        @Override
        public int expire(Instant now) {
            return 0;
        }

        @Override
        public void close() {}
    }
}
