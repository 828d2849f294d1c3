package io.chargeline.core.alarm;

/** What an alarm is about. */
public enum AlarmType {
    /** No telemetry received from the charger for longer than its silence threshold. */
    SILENT,
    /** A numeric telemetry field broke an alarm rule for the rule's duration. */
    THRESHOLD
}
