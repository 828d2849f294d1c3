package io.chargeline.core.command;

import java.util.concurrent.CompletableFuture;

/** The gateway's side of commands: puts one on the charger's connection. */
public interface CommandChannel {
    CommandChannel NONE = command -> CompletableFuture.completedFuture(false);

    /**
     * Publishes the command to its charger (QoS 1). Completes with true once the broker has it queued for the
     * charger, false when the charger is not connected and subscribed to its command topic.
     */
    CompletableFuture<Boolean> send(Command command);
}
