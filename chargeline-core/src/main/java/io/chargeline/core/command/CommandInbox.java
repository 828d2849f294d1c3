package io.chargeline.core.command;

import java.util.concurrent.CompletableFuture;

/** What the gateway reports about commands: subscriptions, PUBACKs and replies from chargers. */
public interface CommandInbox {
    CommandInbox NONE = new CommandInbox() {
        @Override
        public void subscribed(String chargerId) {}

        @Override
        public void delivered(String chargerId, String commandId) {}

        @Override
        public void undeliverable(String chargerId, String commandId, String reason) {}

        @Override
        public Reply reply(String chargerId, String commandId, byte[] payload) {
            return Reply.refused(Reply.Outcome.NOT_OPEN, "commands are not enabled");
        }
    };

    /** The charger subscribed to its command topic (its SUBACK is on the way): send what waits for it. */
    void subscribed(String chargerId);

    /** The charger acknowledged the command's PUBLISH. */
    void delivered(String chargerId, String commandId);

    /**
     * The charger's connection cannot take the command (MQTT 5: its packet would exceed the Maximum Packet Size the
     * charger set), so it was not sent: the command fails with {@code reason} instead of waiting for its expiry.
     */
    void undeliverable(String chargerId, String commandId, String reason);

    /**
     * A reply from {@code chargerId} for {@code commandId}: {@code {"status":"IN_PROGRESS|SUCCEEDED|FAILED|REJECTED",
     * "result":{...}}}. Checked now; applied durably later (see {@link Reply#durable}).
     */
    Reply reply(String chargerId, String commandId, byte[] payload);

    /**
     * The outcome of a reply: {@code outcome} says whether it was accepted and, if not, {@code detail} says why.
     * An accepted reply's {@code durable} completes once the change is stored (exceptionally when it could not be).
     */
    record Reply(Outcome outcome, String detail, CompletableFuture<Void> durable) {
        public enum Outcome {
            ACCEPTED,
            /** Unknown, already final, or another charger's command. */
            NOT_OPEN,
            MALFORMED,
            /** Refused for now: the server is overloaded. */
            BUSY
        }

        public static Reply accepted(CompletableFuture<Void> durable) {
            return new Reply(Outcome.ACCEPTED, null, durable);
        }

        public static Reply refused(Outcome outcome, String why) {
            return new Reply(outcome, why, CompletableFuture.completedFuture(null));
        }
    }
}
