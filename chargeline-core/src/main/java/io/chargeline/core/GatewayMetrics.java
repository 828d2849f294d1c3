package io.chargeline.core;

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
        /** an MQTT 3 client published faster than its messages could be committed */
        MQTT3_BACKLOG
    }

    default void connectRefused(ConnectRefusal reason) {}

    default void topicRefused(TopicAction action) {}

    default void connectionDropped(DropReason reason) {}

    /** Time from receiving a telemetry PUBLISH to releasing its acknowledgement. */
    default void pubackLatency(Duration latency) {}
}
