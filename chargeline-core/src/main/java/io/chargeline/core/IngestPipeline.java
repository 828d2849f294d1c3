package io.chargeline.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates telemetry and commits it to the store in groups. A returned future completes only once the
 * message is durable (as a record or as a dead letter), so a gateway can acknowledge on completion and a
 * crash never loses an acknowledged message.
 *
 * <p>Backpressure: the queue is bounded by count and by bytes. {@link #submit} blocks the calling
 * (network) thread while it is full, so the gateway stops reading sockets instead of buffering; after
 * {@link PipelineSettings#offerTimeout()} the message is refused with {@link OverloadedException}.
 */
public final class IngestPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);

    private final TelemetryValidator validator;
    private final TelemetryStore store;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final PipelineSettings settings;
    private final BlockingQueue<Pending> queue;
    private final Semaphore bytePermits;
    private final Thread writer;
    private final TelemetryArrivals arrivals;
    private volatile boolean accepting = true;
    private volatile boolean lastCommitFailed;

    public IngestPipeline(TelemetryStore store, Clock clock, IngestMetrics metrics, PipelineSettings settings) {
        this(store, clock, metrics, settings, TelemetryArrivals.NONE);
    }

    /** @param arrivals told of each valid message once it is queued (liveness for silence alarms) */
    public IngestPipeline(TelemetryStore store, Clock clock, IngestMetrics metrics, PipelineSettings settings,
            TelemetryArrivals arrivals) {
        this.arrivals = Objects.requireNonNull(arrivals, "arrivals");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.validator = new TelemetryValidator(clock);
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.bytePermits = new Semaphore(permitsFor(settings.queueBytes()));
        this.writer = new Thread(this::writeLoop, "chargeline-ingest-writer");
        this.writer.setDaemon(false);
        this.writer.start();
    }

    /**
     * Validates and enqueues one message published on {@code topic}.
     *
     * @param identity the authenticated charger id of the publisher
     * @return completes when the outcome is durable; fails with {@link OverloadedException} when the queue
     *     stayed full, {@link StorageException} when the commit failed
     */
    public CompletableFuture<IngestResult> submit(String topic, String identity, byte[] payload, Instant receivedAt) {
        return accept(topic, identity, payload, receivedAt).durable();
    }

    /**
     * What a gateway must know before it answers: whether the message was refused by validation or by a full
     * queue (both known at once) and, later, when its outcome is durable. {@code durable} is already failed
     * with {@link OverloadedException} when {@code overloaded}; a commit failure is not an overload, even if it
     * happens before the gateway looks.
     */
    public record Submission(
            ValidationOutcome.Rejected rejected, boolean overloaded, CompletableFuture<IngestResult> durable) {
        static Submission refusedForOverload(String why) {
            return new Submission(null, true, CompletableFuture.failedFuture(new OverloadedException(why)));
        }
    }

    /** Like {@link #submit}, but also tells the validation and overload outcome right away. */
    public Submission accept(String topic, String identity, byte[] payload, Instant receivedAt) {
        metrics.received();
        if (!accepting) {
            return Submission.refusedForOverload("ingest is shutting down");
        }
        ValidationOutcome outcome = validator.validate(topic, identity, payload, receivedAt);
        Pending pending;
        ValidationOutcome.Rejected rejectedNow = null;
        if (outcome instanceof ValidationOutcome.Accepted accepted) {
            metrics.validated();
            TelemetryRecord record = accepted.record();
            int size = record.dataJson() == null ? 0 : record.dataJson().length();
            pending = new Pending(record, null, IngestResult.STORED, size);
        } else {
            ValidationOutcome.Rejected rejected = (ValidationOutcome.Rejected) outcome;
            rejectedNow = rejected;
            metrics.rejected(rejected.reason());
            DeadLetter letter = DeadLetter.of(receivedAt, topic, identity, rejected.reason(), rejected.detail(), payload);
            pending = new Pending(null, letter, new IngestResult.Refused(rejected.reason(), rejected.detail()),
                    letter.payload().length);
        }
        if (!enqueue(pending)) {
            metrics.overloaded();
            return Submission.refusedForOverload("ingest queue is full");
        }
        if (pending.record != null) {
            arrivals.received(pending.record);
        }
        return new Submission(rejectedNow, false, pending.done);
    }

    /** Blocks up to the offer timeout for room; false when there was none. */
    private boolean enqueue(Pending pending) {
        int permits = permitsFor(pending.bytes);
        try {
            long timeoutNanos = settings.offerTimeout().toNanos();
            long start = System.nanoTime();
            if (!bytePermits.tryAcquire(permits, timeoutNanos, TimeUnit.NANOSECONDS)) {
                return false;
            }
            long left = timeoutNanos - (System.nanoTime() - start);
            if (!queue.offer(pending, Math.max(0, left), TimeUnit.NANOSECONDS)) {
                bytePermits.release(permits);
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Messages waiting for a commit. */
    public int queued() {
        return queue.size();
    }

    public int capacity() {
        return settings.queueCapacity();
    }

    /** True while the writer runs and the last commit succeeded. */
    public boolean isHealthy() {
        return accepting && writer.isAlive() && !lastCommitFailed;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(settings.maxBatch());
        while (accepting || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, settings.maxBatch() - 1);
                commit(batch);
            } catch (InterruptedException e) {
                // close() interrupts only after accepting is false; drain what is left and stop.
                Thread.currentThread().interrupt();
                drainAfterInterrupt(batch);
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void drainAfterInterrupt(List<Pending> batch) {
        batch.clear();
        queue.drainTo(batch);
        if (!batch.isEmpty()) {
            commit(batch);
        }
    }

    private void commit(List<Pending> batch) {
        long start = System.nanoTime();
        Instant committedAt = clock.instant();
        List<TelemetryRecord> records = new ArrayList<>(batch.size());
        List<DeadLetter> letters = new ArrayList<>();
        int bytes = 0;
        for (Pending p : batch) {
            bytes += permitsFor(p.bytes);
            if (p.record != null) {
                records.add(p.record.processedAt(committedAt));
            } else {
                letters.add(p.letter);
            }
        }
        try {
            store.commit(records, letters);
            lastCommitFailed = false;
            metrics.batchCommitted(batch.size(), Duration.ofNanos(System.nanoTime() - start));
            metrics.stored(records.size());
            for (Pending p : batch) {
                p.done.complete(p.result);
            }
        } catch (RuntimeException e) {
            lastCommitFailed = true;
            metrics.commitFailed(batch.size());
            LOG.error("ingest commit of {} messages failed; none acknowledged", batch.size(), e);
            StorageException failure = e instanceof StorageException se ? se : new StorageException("commit failed", e);
            for (Pending p : batch) {
                p.done.completeExceptionally(failure);
            }
        } finally {
            bytePermits.release(bytes);
        }
    }

    /** Stops accepting, commits everything already queued, then returns. */
    @Override
    public void close() {
        accepting = false;
        try {
            writer.join(Duration.ofSeconds(30).toMillis());
            if (writer.isAlive()) {
                writer.interrupt();
                writer.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Byte budget in permits of 1 KiB, so large budgets fit an int. */
    private static int permitsFor(long bytes) {
        return (int) Math.max(1, (bytes + 1023) / 1024);
    }

    private static final class Pending {
        final TelemetryRecord record;
        final DeadLetter letter;
        final IngestResult result;
        final int bytes;
        final CompletableFuture<IngestResult> done = new CompletableFuture<>();

        Pending(TelemetryRecord record, DeadLetter letter, IngestResult result, int bytes) {
            this.record = record;
            this.letter = letter;
            this.result = result;
            this.bytes = bytes;
        }
    }
}
