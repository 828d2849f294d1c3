package io.chargeline.core;

/** The device gateway's side of revocation: drops a live connection. */
public interface DeviceSessions {
    DeviceSessions NONE = chargerId -> {};

    void disconnect(String chargerId);
}
