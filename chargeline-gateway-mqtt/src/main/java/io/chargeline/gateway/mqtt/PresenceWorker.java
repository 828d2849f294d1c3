package io.chargeline.gateway.mqtt;

import io.chargeline.core.presence.PresenceListener;
import io.chargeline.core.timing.SerialWorker;
import java.time.Instant;

/** Tells presence of connects and disconnects on a thread of its own, in order, so event loops never wait on it. */
final class PresenceWorker implements PresenceListener, AutoCloseable {
    private final PresenceListener presence;
    private final SerialWorker worker = new SerialWorker("chargeline-mqtt-presence", 200_000);

    PresenceWorker(PresenceListener presence) {
        this.presence = presence;
    }

    @Override
    public void connected(String chargerId, Instant at) {
        worker.offer(() -> presence.connected(chargerId, at));
    }

    @Override
    public void disconnected(String chargerId, Instant at, DisconnectReason reason) {
        worker.offer(() -> presence.disconnected(chargerId, at, reason));
    }

    @Override
    public void close() {
        worker.close();
    }
}
