package io.chargeline.core.alarm;

/** What an operator sees of a charger at a glance. */
public enum ChargerStatus {
    /** Connected and sending. */
    online,
    /** Not connected (it has been seen before). */
    offline,
    /** Connected, but its SILENT alarm is active: it sends nothing. */
    silent,
    /** Provisioned, but neither connected nor sent telemetry since the store began. */
    never_seen
}
