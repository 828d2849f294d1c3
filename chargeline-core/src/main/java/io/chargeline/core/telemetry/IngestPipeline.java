package io.chargeline.core.telemetry;

import io.chargeline.core.OverloadedException;
import io.chargeline.core.RepeatedErrors;
import io.chargeline.core.StorageException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates telemetry and commits it to the store in groups. A returned future completes only once the
 * message is durable (as a record or as a dead letter), so a gateway can acknowledge on completion and a
 * crash never loses an acknowledged message. A record the store cannot encode becomes a dead letter
 * ({@link RejectReason#Unstorable}) and never fails the records it was committed with; only a failing write of
 * the store itself fails a whole group.
 *
 * <p>Backpressure: the queue is bounded by count and by bytes, and never blocks the caller (a network event
 * loop serves many connections). A message that finds it full is refused as overloaded at once; the gateway then
 * stops reading that connection and asks {@link #whenRoom} to hear when the queue has drained to half.
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
    private final TelemetryChanges changes;
    private final CommitHealth health = new CommitHealth();
    private final RepeatedErrors errors;
    private final ConcurrentLinkedQueue<Runnable> roomWaiters = new ConcurrentLinkedQueue<>();
    private volatile boolean accepting = true;

    public IngestPipeline(TelemetryStore store, TelemetryValidator validator, Clock clock, IngestMetrics metrics,
            PipelineSettings settings) {
        this(store, validator, clock, metrics, settings, TelemetryChanges.NONE);
    }

    /** @param changes told of each record once it is stored, usually a {@link ChangeFeed} */
    public IngestPipeline(TelemetryStore store, TelemetryValidator validator, Clock clock, IngestMetrics metrics,
            PipelineSettings settings, TelemetryChanges changes) {
        this.changes = Objects.requireNonNull(changes, "changes");
        this.store = Objects.requireNonNull(store, "store");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.errors = new RepeatedErrors(LOG, clock, Duration.ofMinutes(1), "ingest commit");
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
        if (!accepting) {
            return Submission.refusedForOverload("ingest is shutting down");
        }
        if (queue.remainingCapacity() == 0 || bytePermits.availablePermits() < permitsFor(payload.length)) {
            metrics.overloaded(); // refused before validation, so a message sent again later counts once
            return Submission.refusedForOverload("ingest queue is full");
        }
        metrics.received();
        ValidationOutcome outcome = validator.validate(topic, identity, payload, receivedAt);
        Pending pending;
        ValidationOutcome.Rejected rejectedNow = null;
        if (outcome instanceof ValidationOutcome.Accepted accepted) {
            metrics.validated();
            pending = Pending.record(accepted.record(), topic, identity, payload);
        } else {
            ValidationOutcome.Rejected rejected = (ValidationOutcome.Rejected) outcome;
            rejectedNow = rejected;
            metrics.rejected(rejected.reason());
            pending = Pending.refused(
                    DeadLetter.of(receivedAt, topic, identity, rejected.reason(), rejected.detail(), payload), rejected);
        }
        if (!enqueue(pending)) {
            metrics.overloaded();
            return Submission.refusedForOverload("ingest queue is full");
        }
        return new Submission(rejectedNow, false, pending.done);
    }

    /** Takes room for the message if there is some now; false when the queue is full by count or bytes. */
    private boolean enqueue(Pending pending) {
        int permits = permitsFor(pending.bytes);
        if (!bytePermits.tryAcquire(permits)) {
            return false;
        }
        if (!queue.offer(pending)) {
            bytePermits.release(permits);
            return false;
        }
        return true;
    }

    /**
     * Runs {@code waiter} once the queue has room again (at most half full, by count and by bytes): on the
     * writer thread after a commit, or right away on this thread when there is room already. A gateway uses it
     * to resume reading a connection it paused when a message was refused as overloaded.
     */
    public void whenRoom(Runnable waiter) {
        roomWaiters.add(Objects.requireNonNull(waiter, "waiter"));
        if (hasRoom()) {
            runRoomWaiters(); // the writer may have drained the queue before the waiter was added
        }
    }

    private boolean hasRoom() {
        return queue.size() <= settings.queueCapacity() / 2
                && bytePermits.availablePermits() >= permitsFor(settings.queueBytes()) / 2;
    }

    private void runRoomWaiters() {
        Runnable waiter;
        while ((waiter = roomWaiters.poll()) != null) {
            try {
                waiter.run();
            } catch (RuntimeException e) {
                LOG.error("a waiter for room in the ingest queue failed", e);
            }
        }
    }

    /** Messages waiting for a commit. */
    public int queued() {
        return queue.size();
    }

    public int capacity() {
        return settings.queueCapacity();
    }

    /** True while the pipeline accepts messages and its writer runs. */
    public boolean isRunning() {
        return accepting && writer.isAlive();
    }

    /** Whether commits are succeeding (the store's health as the writer sees it). */
    public CommitHealth.Report commitHealth() {
        return health.report(clock.instant());
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
                if (!roomWaiters.isEmpty() && hasRoom()) {
                    runRoomWaiters();
                }
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
        List<Pending> recordsOf = new ArrayList<>(batch.size());
        List<TelemetryRecord> records = new ArrayList<>(batch.size());
        List<DeadLetter> letters = new ArrayList<>();
        int bytes = 0;
        for (Pending p : batch) {
            bytes += permitsFor(p.bytes);
            if (p.record != null) {
                recordsOf.add(p);
                records.add(p.record.processedAt(committedAt));
            } else {
                letters.add(p.letter);
            }
        }
        List<TelemetryStore.Unstorable> unstorable;
        try {
            unstorable = store.commit(records, letters);
        } catch (RuntimeException e) {
            commitFailed(batch, e);
            return;
        } finally {
            bytePermits.release(bytes);
        }
        commitSucceeded(batch.size(), start);
        List<Pending> refused = unstorable.isEmpty() ? List.of() : markUnstorable(recordsOf, unstorable);
        metrics.stored(records.size() - refused.size());
        for (Pending p : batch) {
            if (p.result != null) {
                p.done.complete(p.result);
            }
        }
        if (!refused.isEmpty()) {
            commitDeadLetters(refused);
        }
        tellChanges(recordsOf, records);
    }

    /**
     * After the acknowledgements went out: the change feed learns only of what was stored, as stored (with its
     * commit time); {@code stored} is parallel to {@code recordsOf}.
     */
    private void tellChanges(List<Pending> recordsOf, List<TelemetryRecord> stored) {
        for (int i = 0; i < recordsOf.size(); i++) {
            Pending p = recordsOf.get(i);
            if (p.result != IngestResult.STORED) {
                continue;
            }
            try {
                changes.changed(TelemetryChange.stored(stored.get(i)));
            } catch (RuntimeException e) {
                LOG.error("{} stored telemetry could not be passed on to the change feed", p.record.chargerId(), e);
            }
        }
    }

    /** Turns the records the store could not take into dead letters; their outcome is known once those commit. */
    private List<Pending> markUnstorable(List<Pending> recordsOf, List<TelemetryStore.Unstorable> unstorable) {
        List<Pending> refused = new ArrayList<>(unstorable.size());
        for (TelemetryStore.Unstorable u : unstorable) {
            Pending p = recordsOf.get(u.index());
            p.result = null;
            p.letter = DeadLetter.of(p.record.receivedAt(), p.topic, p.identity, RejectReason.Unstorable, u.detail(),
                    p.payload);
            refused.add(p);
            metrics.rejected(RejectReason.Unstorable);
            LOG.warn("{} telemetry at {} could not be stored ({}); kept as a dead letter", p.record.chargerId(),
                    p.record.timestamp(), u.detail());
        }
        return refused;
    }

    private void commitDeadLetters(List<Pending> refused) {
        long start = System.nanoTime();
        List<DeadLetter> letters = new ArrayList<>(refused.size());
        refused.forEach(p -> letters.add(p.letter));
        try {
            store.commit(List.of(), letters);
            commitSucceeded(refused.size(), start);
            for (Pending p : refused) {
                p.done.complete(new IngestResult.Refused(RejectReason.Unstorable, p.letter.detail()));
            }
        } catch (RuntimeException e) {
            commitFailed(refused, e);
        }
    }

    private void commitSucceeded(int size, long startNanos) {
        health.succeeded();
        errors.succeeded();
        metrics.batchCommitted(size, Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private void commitFailed(List<Pending> batch, RuntimeException e) {
        health.failed(clock.instant(), e.getMessage());
        metrics.commitFailed(batch.size());
        errors.failed(batch.size() + " messages; none acknowledged", e);
        StorageException failure = e instanceof StorageException se ? se : new StorageException("commit failed", e);
        for (Pending p : batch) {
            p.done.completeExceptionally(failure);
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

    /** One message on its way to the store; the writer thread alone changes it once queued. */
    private static final class Pending {
        final TelemetryRecord record;
        final String topic;
        final String identity;
        final byte[] payload;
        final int bytes;
        final CompletableFuture<IngestResult> done = new CompletableFuture<>();
        DeadLetter letter;
        IngestResult result;

        private Pending(TelemetryRecord record, DeadLetter letter, IngestResult result, String topic, String identity,
                byte[] payload, int bytes) {
            this.record = record;
            this.letter = letter;
            this.result = result;
            this.topic = topic;
            this.identity = identity;
            this.payload = payload;
            this.bytes = bytes;
        }

        /** Valid telemetry; the raw payload is kept in case the store cannot encode the record. */
        static Pending record(TelemetryRecord record, String topic, String identity, byte[] payload) {
            return new Pending(record, null, IngestResult.STORED, topic, identity, payload, payload.length);
        }

        static Pending refused(DeadLetter letter, ValidationOutcome.Rejected why) {
            return new Pending(null, letter, new IngestResult.Refused(why.reason(), why.detail()), letter.topic(),
                    letter.clientId(), letter.payload(), letter.payload().length);
        }
    }
}
