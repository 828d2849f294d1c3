package io.chargeline.core.device;

import java.time.Duration;

/** What the device gateway reports; implemented by the metrics adapter. */
public interface GatewayMetrics {
    GatewayMetrics NONE = new GatewayMetrics() {};

    /** Why a CONNECT was refused. */
    enum ConnectRefusal {
        NO_CERTIFICATE, UNTRUSTED_CERTIFICATE, BAD_CERTIFICATE_CN, CLIENT_ID_MISMATCH, REVOKED
    }

    /** What a client tried on a topic it may not use. */
    enum TopicAction {
        PUBLISH, SUBSCRIBE
    }

    /** Why the server closed a connection. */
    enum DropReason {
        /** an acknowledgement was held for a message that could not be made durable */
        NOT_DURABLE,
        /** a packet the MQTT codec could not decode (bad length, flags, UTF-8, packet id 0, wildcard topic, ...) */
        MALFORMED_PACKET,
        /** a packet larger than the maximum packet size */
        PACKET_TOO_LARGE,
        /** a well-formed packet that breaks the protocol (a second CONNECT, a bad topic alias, ...) */
        PROTOCOL_ERROR,
        /** an MQTT 5 client sent more unacknowledged publishes than the receive maximum it was given */
        RECEIVE_MAXIMUM_EXCEEDED,
        /** nothing from the client within 1.5 times its keep-alive */
        KEEP_ALIVE_TIMEOUT
    }

    default void connectRefused(ConnectRefusal reason) {}

    default void topicRefused(TopicAction action) {}

    default void connectionDropped(DropReason reason) {}

    /** Time from receiving a telemetry PUBLISH to releasing its acknowledgement. */
    default void pubackLatency(Duration latency) {}
}
