package io.chargeline.core.command;

import java.time.Duration;

/** What operators watch about commands. */
public interface CommandMetrics {
    CommandMetrics NONE = new CommandMetrics() {};

    /** A command entered {@code status}. */
    default void entered(CommandStatus status) {}

    /** Issue to PUBACK. */
    default void delivered(Duration latency) {}

    /** A reply was refused, for {@code reason} (never ACCEPTED). */
    default void replyRefused(CommandInbox.Reply.Outcome reason) {}
}
