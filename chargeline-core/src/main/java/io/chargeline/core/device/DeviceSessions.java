package io.chargeline.core.device;

/** The device gateway's side of revocation: drops a live connection. */
public interface DeviceSessions {
    DeviceSessions NONE = clientId -> {};

    /** @param clientId the MQTT client id, which is the certificate CN ({@link ClientKind#commonName}) */
    void disconnect(String clientId);
}
