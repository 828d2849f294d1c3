package io.chargeline.gateway.mqtt;

import io.chargeline.core.StorageException;
import io.chargeline.core.telemetry.DeadLetter;
import io.chargeline.core.telemetry.InMemoryTelemetryStore;
import io.chargeline.core.telemetry.TelemetryRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * A store in memory that can hold its commits until released, make them slow, or fail them: what the gateway's
 * failure and backpressure paths need. Open unless {@link #holdCommits()} was called.
 */
final class ControllableStore extends InMemoryTelemetryStore {
    final CountDownLatch commitStarted = new CountDownLatch(1);
    private volatile CountDownLatch release = new CountDownLatch(0);
    /** Every stored record, in commit order. */
    final Queue<TelemetryRecord> stored = new ConcurrentLinkedQueue<>();
    final Queue<DeadLetter> deadLetters = new ConcurrentLinkedQueue<>();
    private final Map<String, TelemetryRecord> latest = new ConcurrentHashMap<>();
    volatile boolean fail;
    volatile long commitMillis;

    /** Commits wait from now until {@link #release()}. */
    void holdCommits() {
        release = new CountDownLatch(1);
    }

    void release() {
        release.countDown();
    }

    @Override
    public List<Unstorable> commit(List<TelemetryRecord> records, List<DeadLetter> letters) {
        commitStarted.countDown();
        try {
            release.await();
            if (commitMillis > 0) {
                Thread.sleep(commitMillis); // a slow disk
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (fail) {
            throw new StorageException("disk full", null);
        }
        stored.addAll(records);
        deadLetters.addAll(letters);
        records.forEach(r -> latest.put(r.chargerId(), r));
        return List.of();
    }

    /** Stored records of one charger, in commit order. */
    List<TelemetryRecord> storedFor(String chargerId) {
        return stored.stream().filter(r -> r.chargerId().equals(chargerId)).toList();
    }

    @Override
    public Optional<TelemetryRecord> latest(String chargerId) {
        return Optional.ofNullable(latest.get(chargerId));
    }

    @Override
    public List<DeadLetter> recentDeadLetters(int limit) {
        return List.copyOf(deadLetters);
    }
}
