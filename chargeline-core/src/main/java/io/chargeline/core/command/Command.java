package io.chargeline.core.command;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A command for one charger and everything that happened to it. {@code payloadJson} and {@code resultJson} are
 * JSON texts (the result is the charger's latest reply {@code result}, or null).
 */
public record Command(
        String id,
        String chargerId,
        String name,
        String payloadJson,
        CommandStatus status,
        Instant issuedAt,
        Instant expiresAt,
        String resultJson,
        List<Transition> transitions) {

    /** One status change and when it happened. */
    public record Transition(CommandStatus status, Instant at) {
        public Transition {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(at, "at");
        }
    }

    public Command {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(chargerId, "chargerId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(payloadJson, "payloadJson");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        transitions = List.copyOf(transitions);
    }

    /** A new command, QUEUED as of {@code at}. */
    public static Command queued(String id, String chargerId, String name, String payloadJson, Instant at,
            Instant expiresAt) {
        return new Command(id, chargerId, name, payloadJson, CommandStatus.QUEUED, at, expiresAt, null,
                List.of(new Transition(CommandStatus.QUEUED, at)));
    }

    /**
     * This command moved to {@code next} at {@code at}, or this same command when {@code next} is not ahead of
     * the current status (a late PUBACK, a repeated reply). A PUBACK proves the command was sent, and a reply that
     * it was sent and delivered: steps such evidence overtook are recorded at its time.
     */
    public Command movedTo(CommandStatus next, Instant at) {
        if (status.isFinal() || next.ordinal() <= status.ordinal()) {
            return this;
        }
        List<Transition> all = new ArrayList<>(transitions);
        boolean reachedCharger = next == CommandStatus.DELIVERED || next.isReplyStatus();
        if (reachedCharger && status.ordinal() < CommandStatus.SENT.ordinal()) {
            all.add(new Transition(CommandStatus.SENT, at));
        }
        if (next.isReplyStatus() && status.ordinal() < CommandStatus.DELIVERED.ordinal()) {
            all.add(new Transition(CommandStatus.DELIVERED, at));
        }
        all.add(new Transition(next, at));
        return new Command(id, chargerId, name, payloadJson, next, issuedAt, expiresAt, resultJson, all);
    }

    /**
     * FAILED on the server's side while still on its way ({@link CommandStatus#awaitsDelivery}), e.g. too large for
     * the charger's connection: unlike a charger's FAILED reply it implies no delivery.
     */
    public Command failedUndelivered(Instant at) {
        if (!status.awaitsDelivery()) {
            return this;
        }
        List<Transition> all = new ArrayList<>(transitions);
        all.add(new Transition(CommandStatus.FAILED, at));
        return new Command(id, chargerId, name, payloadJson, CommandStatus.FAILED, issuedAt, expiresAt, resultJson, all);
    }

    public Command withResult(String json) {
        return new Command(id, chargerId, name, payloadJson, status, issuedAt, expiresAt, json, transitions);
    }

    /** When it entered {@code s}, if it did. */
    public Optional<Instant> reached(CommandStatus s) {
        return transitions.stream().filter(t -> t.status() == s).map(Transition::at).findFirst();
    }

    public Instant updatedAt() {
        return transitions.get(transitions.size() - 1).at();
    }
}
