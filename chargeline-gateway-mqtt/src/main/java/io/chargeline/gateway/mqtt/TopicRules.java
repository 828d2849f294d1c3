package io.chargeline.gateway.mqtt;

import io.chargeline.core.device.ChargerIds;
import io.chargeline.core.device.ClientKind;

/**
 * Topic rules: a charger publishes only to {@code telemetry/{itsId}} and to replies {@code
 * commands/{itsId}/{commandId}/reply}, and subscribes only within {@code commands/{itsId}/#}; an operator publishes
 * nothing and subscribes only to alarm topics ({@code $chargeline/alarms/#}, {@code .../+} or {@code
 * .../{chargerId}}). The client id is the certificate CN (checked at CONNECT), so it says which rules apply.
 */
final class TopicRules {
    static final String ALARMS = "$chargeline/alarms/";

    private TopicRules() {}

    static String telemetryTopic(String chargerId) {
        return "telemetry/" + chargerId;
    }

    static boolean mayPublish(String clientId, String topic) {
        return ClientKind.of(clientId) == ClientKind.CHARGER
                && (topic.equals(telemetryTopic(clientId)) || CommandTopics.repliedCommand(clientId, topic) != null);
    }

    static String whyNotPublish(String clientId) {
        return ClientKind.of(clientId) == ClientKind.OPERATOR
                ? "operator clients may not publish"
                : "charger " + clientId + " may publish only to telemetry/" + clientId + " and commands/" + clientId
                        + "/{commandId}/reply";
    }

    static boolean maySubscribe(String clientId, String filter) {
        if (ClientKind.of(clientId) == ClientKind.OPERATOR) {
            if (!filter.startsWith(ALARMS)) {
                return false;
            }
            String rest = filter.substring(ALARMS.length());
            return rest.equals("#") || rest.equals("+") || ChargerIds.isValid(rest);
        }
        String own = "commands/" + clientId;
        // the charger's own command tree, or any filter strictly below it; wildcards may only appear there
        return filter.equals(own) || filter.startsWith(own + "/");
    }

    static String whyNotSubscribe(String clientId) {
        return ClientKind.of(clientId) == ClientKind.OPERATOR
                ? "operator clients may subscribe only to " + ALARMS + "#, " + ALARMS + "+ or " + ALARMS + "{chargerId}"
                : "charger " + clientId + " may subscribe only within commands/" + clientId + "/#";
    }

    /** MQTT topic matching: {@code +} one level, {@code #} the rest (including the parent level). */
    static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && !filter.isEmpty() && (filter.charAt(0) == '#' || filter.charAt(0) == '+')) {
            return false; // MQTT 4.7.2: a filter starting with a wildcard does not match topics starting with $
        }
        int f = 0;
        int t = 0;
        while (f < filter.length()) {
            char c = filter.charAt(f);
            if (c == '#') {
                return true;
            }
            if (c == '+') {
                while (t < topic.length() && topic.charAt(t) != '/') {
                    t++;
                }
                f++;
            } else {
                if (t >= topic.length()) {
                    // "a/#" matches "a": the filter has only "/#" left
                    return filter.startsWith("/#", f) && filter.length() == f + 2;
                }
                if (topic.charAt(t) != c) {
                    return false;
                }
                f++;
                t++;
            }
        }
        return t == topic.length();
    }
}
