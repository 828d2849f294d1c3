package io.chargeline.core.command;

import io.chargeline.core.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** Commands in memory, keyed like the real store ({@code chargerId/commandId}), counting writes. */
final class InMemoryCommandStore implements CommandStore {
    final Map<String, Command> rows = new ConcurrentSkipListMap<>();
    int writes;

    @Override
    public synchronized void save(Command command) {
        rows.put(command.chargerId() + "/" + command.id(), command);
        writes++;
    }

    @Override
    public Optional<Command> find(String chargerId, String commandId) {
        return Optional.ofNullable(rows.get(chargerId + "/" + commandId));
    }

    @Override
    public Page<Command> list(String chargerId, CommandStatus status, String cursor, int limit) {
        List<Command> out = new ArrayList<>();
        for (Command c : rows.values()) {
            if (c.chargerId().equals(chargerId) && (status == null || c.status() == status)) {
                out.add(0, c);
            }
        }
        return new Page<>(out.subList(0, Math.min(limit, out.size())), null);
    }

    @Override
    public List<Command> open() {
        return rows.values().stream().filter(c -> !c.status().isFinal()).toList();
    }

    @Override
    public synchronized int deleteFinishedBefore(Instant cutoff) {
        int before = rows.size();
        rows.values().removeIf(c -> c.status().isFinal() && c.updatedAt().isBefore(cutoff));
        return before - rows.size();
    }
}
