package io.chargeline.core;

import java.time.Duration;

/** What the device gateway reports; implemented by the metrics adapter. */
public interface GatewayMetrics {
    GatewayMetrics NONE = new GatewayMetrics() {};

    /** A CONNECT was refused; {@code reason} is a short stable label. */
    default void connectRefused(String reason) {}

    /** A PUBLISH or SUBSCRIBE to a topic the charger may not use was refused. */
    default void topicRefused(String action) {}

    /** The server closed a charger's connection for {@code reason} (a short stable label). */
    default void connectionDropped(String reason) {}

    /** Time from receiving a telemetry PUBLISH to releasing its acknowledgement. */
    default void pubackLatency(Duration latency) {}
}
