package io.chargeline.core.alarm;

/** Where raised and cleared alarms go once they are durable: webhooks, MQTT, logs. Must not block long. */
public interface AlarmEvents {
    AlarmEvents NONE = event -> {};

    /** Called in event-id order, after the event and its alarm are in the store. */
    void announced(AlarmEvent event);
}
