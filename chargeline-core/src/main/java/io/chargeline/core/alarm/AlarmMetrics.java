package io.chargeline.core.alarm;

import java.time.Duration;

/** What alarm detection reports; implemented by the metrics adapter. */
public interface AlarmMetrics {
    AlarmMetrics NONE = new AlarmMetrics() {};

    /** An alarm was raised {@code lateness} after its deadline (not reported for alarms caught up at start). */
    default void raised(AlarmType type, Duration lateness) {}

    default void cleared(AlarmType type) {}
}
