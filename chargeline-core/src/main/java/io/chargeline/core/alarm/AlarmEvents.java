package io.chargeline.core.alarm;

/** Where raised and cleared alarms go once they are durable: webhooks, MQTT, logs. Must not block long. */
public interface AlarmEvents {
    AlarmEvents NONE = new AlarmEvents() {};

    default void raised(Alarm alarm) {}

    default void cleared(Alarm alarm) {}
}
