package io.chargeline.gateway.mqtt;

import io.chargeline.core.alarm.AlarmEvent;
import io.chargeline.core.alarm.AlarmFeeds;
import io.chargeline.core.device.ClientKind;
import io.chargeline.core.timing.SerialWorker;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm store as the gateway uses it: operators' persistent feeds written and the event log read on a thread of
 * its own, in order, so event loops never wait on the disk.
 */
final class AlarmLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmLog.class);

    private final AlarmFeeds feeds;
    private final SerialWorker worker = new SerialWorker("chargeline-mqtt-alarm-log", 10_000);
    private final Set<SessionState> savesWaiting = ConcurrentHashMap.newKeySet();

    AlarmLog(AlarmFeeds feeds) {
        this.feeds = feeds;
    }

    AlarmFeeds store() {
        return feeds;
    }

    /**
     * Saves an operator's persistent session as it is when the write runs (subscriptions, last acknowledged event,
     * away or not). Calls while a save is waiting join it, so a burst of acknowledgements costs one write.
     */
    void keep(SessionState session) {
        if (ClientKind.of(session.clientId) != ClientKind.OPERATOR || !session.persistent() || !session.feedStarted()) {
            return;
        }
        if (!savesWaiting.add(session)) {
            return;
        }
        if (!worker.offer(() -> {
            savesWaiting.remove(session);
            feeds.saveFeed(session.feed());
        })) {
            savesWaiting.remove(session);
            LOG.warn("{}: alarm feed not saved, too many writes waiting", session.clientId);
        }
    }

    void forget(String clientId) {
        if (ClientKind.of(clientId) == ClientKind.OPERATOR && !worker.offer(() -> feeds.deleteFeed(clientId))) {
            LOG.warn("{}: alarm feed not deleted, too many writes waiting", clientId);
        }
    }

    /** Reads up to {@code limit} events after {@code afterId} and hands them to {@code then} (on this log's thread). */
    boolean readAfter(String afterId, int limit, Consumer<List<AlarmEvent>> then) {
        return worker.offer(() -> then.accept(feeds.eventsAfter(afterId, limit)));
    }

    @Override
    public void close() {
        worker.close();
    }
}
