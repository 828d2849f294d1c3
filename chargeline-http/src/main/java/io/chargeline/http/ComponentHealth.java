package io.chargeline.http;

import java.util.Map;

/** The state of one part of the platform as /health reports it. */
public record ComponentHealth(Status status, Map<String, Object> details) {
    public enum Status {
        up,
        degraded,
        down
    }

    public ComponentHealth {
        details = Map.copyOf(details);
    }

    public static ComponentHealth of(boolean up, Map<String, Object> details) {
        return new ComponentHealth(up ? Status.up : Status.down, details);
    }
}
