package io.chargeline.core.command;

/**
 * Where a command is. A command only moves forward through this order; the last five are final. A PUBACK can
 * overtake the broker's confirmation that the command was queued, and a reply the PUBACK: the steps they prove
 * (SENT, DELIVERED) are then recorded at their time.
 */
public enum CommandStatus {
    /** Stored; waiting for the charger to be connected and subscribed. */
    QUEUED,
    /** Handed to the charger's connection; sent again on its next connection until it acknowledges. */
    SENT,
    /** The charger acknowledged the PUBLISH (PUBACK). */
    DELIVERED,
    IN_PROGRESS,
    SUCCEEDED,
    FAILED,
    REJECTED,
    EXPIRED,
    CANCELLED;

    public boolean isFinal() {
        return ordinal() >= SUCCEEDED.ordinal();
    }

    /** Still to be sent (again) when the charger is reachable. */
    public boolean awaitsDelivery() {
        return this == QUEUED || this == SENT;
    }

    /** The statuses a charger may report in a reply. */
    public boolean isReplyStatus() {
        return this == IN_PROGRESS || this == SUCCEEDED || this == FAILED || this == REJECTED;
    }
}
