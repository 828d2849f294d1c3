package io.chargeline.core.webhook;

import io.chargeline.core.InvalidRequestException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** What a webhook can subscribe to; {@link #wire} is the name in the API and in each delivery. */
public enum WebhookEventType {
    ALARM_RAISED("alarm.raised"),
    ALARM_CLEARED("alarm.cleared"),
    CHARGER_ONLINE("charger.online"),
    CHARGER_OFFLINE("charger.offline");

    private final String wire;

    WebhookEventType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static WebhookEventType fromWire(String name) {
        for (WebhookEventType t : values()) {
            if (t.wire.equals(name)) {
                return t;
            }
        }
        throw new InvalidRequestException("unknown event " + name + "; known: "
                + Arrays.stream(values()).map(WebhookEventType::wire).collect(Collectors.joining(", ")));
    }
}
