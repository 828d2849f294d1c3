package io.chargeline.core.telemetry;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one ordered, in-process feed of committed telemetry changes (the role DynamoDB Streams plays in the reference
 * design): liveness, value rules, update jobs and live streams subscribe here instead of each hooking into the
 * pipeline. Subscribers are called in turn on the publishing thread and must only hand the change on; one that
 * throws is logged and does not keep the change from the others.
 */
public final class ChangeFeed implements TelemetryChanges {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

    private final CopyOnWriteArrayList<TelemetryChanges> subscribers = new CopyOnWriteArrayList<>();

    /** Adds a subscriber; the returned handle removes it. */
    public Subscription subscribe(TelemetryChanges subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    public int subscribers() {
        return subscribers.size();
    }

    @Override
    public void changed(TelemetryChange change) {
        for (TelemetryChanges s : subscribers) {
            try {
                s.changed(change);
            } catch (RuntimeException e) {
                LOG.error("{} change of {} could not be passed to a subscriber", change.kind(),
                        change.record().chargerId(), e);
            }
        }
    }

    /** Ends a subscription. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
