package io.chargeline.gateway.mqtt;

import io.chargeline.core.timing.TimeOrderedIds;

/** {@code commands/{chargerId}/{commandId}} carries a command; {@code .../reply} the charger's answers. */
final class CommandTopics {
    private static final String REPLY = "/reply";

    private CommandTopics() {}

    static String command(String chargerId, String commandId) {
        return "commands/" + chargerId + "/" + commandId;
    }

    static String reply(String chargerId, String commandId) {
        return command(chargerId, commandId) + REPLY;
    }

    /** The command id when {@code topic} is {@code chargerId}'s reply topic for a well-formed id, else null. */
    static String repliedCommand(String chargerId, String topic) {
        String prefix = "commands/" + chargerId + "/";
        if (!topic.startsWith(prefix) || !topic.endsWith(REPLY)) {
            return null;
        }
        return wellFormed(topic.substring(prefix.length(), topic.length() - REPLY.length()));
    }

    /** The command id when {@code topic} is one of {@code chargerId}'s command topics, else null. */
    static String sentCommand(String chargerId, String topic) {
        String prefix = "commands/" + chargerId + "/";
        return topic.startsWith(prefix) ? wellFormed(topic.substring(prefix.length())) : null;
    }

    private static String wellFormed(String id) {
        return TimeOrderedIds.isWellFormed(id) ? id : null;
    }
}
