package io.chargeline.core.alarm;

/**
 * A listing of alarms, newest first. Null filters match everything.
 *
 * @param afterId the cursor: only alarms older than this id
 */
public record AlarmQuery(AlarmState state, String chargerId, AlarmType type, int limit, String afterId) {
    public static final int MAX_LIMIT = 1000;

    public AlarmQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        }
    }

    public boolean matches(Alarm alarm) {
        return (state == null || alarm.state() == state)
                && (chargerId == null || alarm.chargerId().equals(chargerId))
                && (type == null || alarm.type() == type);
    }
}
