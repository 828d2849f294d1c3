package io.chargeline.core.timing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * At most one pending deadline per key, earliest first. Arming a key that already has an earlier deadline
 * does nothing; arming it earlier replaces the later one. A waiting thread wakes when an earlier deadline
 * arrives. Thread-safe. Serves the silence detector, the value rules and webhook retries.
 */
public final class DeadlineQueue<K> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final PriorityQueue<Entry<K>> queue = new PriorityQueue<>();
    private final Map<K, Long> armed = new HashMap<>();

    /** Sets {@code key}'s deadline to {@code atMillis} unless it already has an earlier one. */
    public void arm(K key, long atMillis) {
        lock.lock();
        try {
            Long current = armed.get(key);
            if (current != null && current <= atMillis) {
                return;
            }
            armed.put(key, atMillis);
            queue.add(new Entry<>(atMillis, key));
            if (queue.peek().key.equals(key)) {
                wake.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    public void disarm(K key) {
        lock.lock();
        try {
            armed.remove(key); // its entry becomes stale and is skipped
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns the keys whose deadline is at or before {@code nowMillis}. */
    public List<K> takeDue(long nowMillis) {
        List<K> due = new ArrayList<>();
        lock.lock();
        try {
            while (!queue.isEmpty() && queue.peek().atMillis <= nowMillis) {
                Entry<K> e = queue.poll();
                Long current = armed.get(e.key);
                if (current != null && current == e.atMillis) {
                    armed.remove(e.key);
                    due.add(e.key);
                }
            }
        } finally {
            lock.unlock();
        }
        return due;
    }

    public Optional<Long> next() {
        lock.lock();
        try {
            return queue.isEmpty() ? Optional.empty() : Optional.of(queue.peek().atMillis);
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code maxMillis}, less if the earliest deadline is sooner, or until woken. */
    public void await(long nowMillis, long maxMillis) throws InterruptedException {
        lock.lock();
        try {
            long wait = queue.isEmpty() ? maxMillis : Math.min(maxMillis, queue.peek().atMillis - nowMillis);
            if (wait > 0) {
                wake.await(wait, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes a thread in {@link #await}. */
    public void wakeUp() {
        lock.lock();
        try {
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    private record Entry<K>(long atMillis, K key) implements Comparable<Entry<K>> {
        @Override
        public int compareTo(Entry<K> other) {
            return Long.compare(atMillis, other.atMillis);
        }
    }
}
