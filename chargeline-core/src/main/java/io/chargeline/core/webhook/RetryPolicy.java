package io.chargeline.core.webhook;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th retry waits a random time between half and all of {@code first ×
 * 2^(n-1)}, capped at {@code longest}; after {@code giveUpAfter} from the event the delivery is dead-lettered.
 */
public record RetryPolicy(Duration first, Duration longest, Duration giveUpAfter) {
    /** Retries for a day: 1 s, 2 s, 4 s, ... then every 30 to 60 minutes. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofHours(24));

    public RetryPolicy {
        if (first.isNegative() || first.isZero() || longest.compareTo(first) < 0 || giveUpAfter.compareTo(first) < 0) {
            throw new IllegalArgumentException("retry policy needs 0 < first <= longest and first <= giveUpAfter");
        }
    }

    /** The wait before attempt number {@code attempt + 1}, after {@code attempt} failed ones (attempt >= 1). */
    public Duration backoff(int attempt) {
        long cap = longest.toMillis();
        long full = first.toMillis() << Math.min(attempt - 1, 40);
        long ceiling = full <= 0 || full > cap ? cap : full;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }
}
