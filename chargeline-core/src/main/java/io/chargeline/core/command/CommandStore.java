package io.chargeline.core.command;

import io.chargeline.core.Page;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Durable commands. Writes are durable when they return. */
public interface CommandStore {
    void save(Command command);

    Optional<Command> find(String chargerId, String commandId);

    /** The charger's commands, newest first, after {@code cursor} (a command id) when it is not null. */
    Page<Command> list(String chargerId, CommandStatus status, String cursor, int limit);

    /** Every command not in a final status, oldest first: what a restart must pick up again. */
    List<Command> open();

    /**
     * Deletes the commands in a final status whose last change is before {@code cutoff} (retention); open
     * commands stay whatever their age. Returns how many went.
     */
    int deleteFinishedBefore(Instant cutoff);
}
