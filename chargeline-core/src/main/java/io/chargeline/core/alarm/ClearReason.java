package io.chargeline.core.alarm;

/** Why an alarm stopped being active. */
public enum ClearReason {
    /** SILENT: the charger sent telemetry again. */
    TELEMETRY_RESUMED,
    /** THRESHOLD: a value no longer breaking the rule arrived. */
    VALUE_RECOVERED,
    /** THRESHOLD: its rule was deleted. */
    RULE_DELETED,
    /** The charger was revoked: it can no longer connect, so nothing it could send would ever clear it. */
    CHARGER_REVOKED
}
