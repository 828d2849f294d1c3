package io.chargeline.core.alarm;

/** An alarm is raised {@code ACTIVE} and becomes {@code CLEARED} when its cause goes away; never back. */
public enum AlarmState {
    ACTIVE,
    CLEARED
}
