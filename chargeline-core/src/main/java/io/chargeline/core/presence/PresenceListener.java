package io.chargeline.core.presence;

import java.time.Instant;

/** The device gateway reports connections here. */
public interface PresenceListener {
    PresenceListener NONE = new PresenceListener() {
        @Override
        public void connected(String chargerId, Instant at) {}

        @Override
        public void disconnected(String chargerId, Instant at, DisconnectReason reason) {}
    };

    /** Tells each listener in turn. */
    static PresenceListener all(PresenceListener... listeners) {
        return new PresenceListener() {
            @Override
            public void connected(String chargerId, Instant at) {
                for (PresenceListener l : listeners) {
                    l.connected(chargerId, at);
                }
            }

            @Override
            public void disconnected(String chargerId, Instant at, DisconnectReason reason) {
                for (PresenceListener l : listeners) {
                    l.disconnected(chargerId, at, reason);
                }
            }
        };
    }

    void connected(String chargerId, Instant at);

    void disconnected(String chargerId, Instant at, DisconnectReason reason);

    /** Why a charger's connection ended. */
    enum DisconnectReason {
        /** The charger sent DISCONNECT. */
        CLIENT_DISCONNECT,
        /** Nothing from the charger within 1.5 × its keep-alive. */
        KEEP_ALIVE_TIMEOUT,
        /** A new connection with the same charger id replaced this one. */
        TAKEN_OVER,
        /** Its certificate was revoked. */
        REVOKED,
        /** The network connection closed without DISCONNECT. */
        CONNECTION_LOST,
        /** The server closed it for another reason (overload, a failed commit, shutdown). */
        SERVER_DISCONNECT
    }
}
